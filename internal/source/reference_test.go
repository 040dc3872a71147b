package source

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The reader's reference: how documents were split and parsed through
// kio's ByteReader before the reader did it itself. Reading must give the
// same nodes (kinds, tags, styles, values, comments, anchors, aliases,
// lines and columns) and the same findings.

var referenceSeparator = regexp.MustCompile(`(?m)^---.*$`)

func referenceSplit(text string) []document {
	var docs []document
	start, line := 0, 1
	for _, loc := range referenceSeparator.FindAllStringIndex(text, -1) {
		sepLine := line + strings.Count(text[start:loc[0]], "\n")
		docs = append(docs, document{text: text[start:loc[0]], line: line})
		rest := strings.TrimSpace(text[loc[0]+3 : loc[1]])
		if rest != "" && !strings.HasPrefix(rest, "#") {
			docs = append(docs, document{line: sepLine, err: fmt.Sprintf("invalid document separator %q: a separator line holds only --- (and a comment)", strings.TrimSpace(text[loc[0]:loc[1]]))})
		}
		start = loc[1]
		if start < len(text) && text[start] == '\n' {
			start++
		}
		line = sepLine + 1
	}
	return append(docs, document{text: text[start:], line: line})
}

func referenceParse(text string) (*yaml.RNode, error) {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return nil, nil
	}
	r := kio.ByteReader{Reader: bytes.NewBufferString(text), OmitReaderAnnotations: true, DisableUnwrapping: true}
	nodes, err := r.Read()
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, nil
	}
	return nodes[0], nil
}

// sameAsReference reports how reading data differs from the reference,
// or "" when it does not.
func sameAsReference(data []byte) string {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	got, want := splitDocuments(text), referenceSplit(text)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Sprintf("documents differ:\n got %+v\nwant %+v", got, want)
	}
	for i, d := range want {
		g, gerr := parseDocument(d.text)
		w, werr := referenceParse(d.text)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			return fmt.Sprintf("document %d: error %v, reference %v", i, gerr, werr)
		}
		if diff := sameNode(nodeOf(g), nodeOf(w), map[*yaml.Node]*yaml.Node{}, "doc"); diff != "" {
			return fmt.Sprintf("document %d: %s", i, diff)
		}
	}
	gn, gf := ReadBytes(data, "in.yaml")
	wn, wf := objects(parseEach(want, referenceParse), "in.yaml")
	if fmt.Sprint(gf) != fmt.Sprint(wf) {
		return fmt.Sprintf("findings differ:\n got %v\nwant %v", gf, wf)
	}
	if len(gn) != len(wn) {
		return fmt.Sprintf("%d objects, reference %d", len(gn), len(wn))
	}
	for i := range gn {
		if diff := sameNode(gn[i].Document(), wn[i].Document(), map[*yaml.Node]*yaml.Node{}, "object"); diff != "" {
			return fmt.Sprintf("object %d: %s", i, diff)
		}
	}
	return ""
}

func nodeOf(rn *yaml.RNode) *yaml.Node {
	if rn == nil {
		return nil
	}
	return rn.Document()
}

// sameNode compares two trees field by field; seen maps the nodes of a
// to those of b, so that aliases must point at corresponding nodes.
func sameNode(a, b *yaml.Node, seen map[*yaml.Node]*yaml.Node, at string) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: %v, reference %v", at, a, b)
		}
		return ""
	}
	if m, ok := seen[a]; ok {
		if m != b {
			return at + ": shared differently"
		}
		return ""
	}
	seen[a] = b
	type fields struct {
		Kind                                  yaml.Kind
		Style                                 yaml.Style
		Tag, Value, Anchor                    string
		HeadComment, LineComment, FootComment string
		Line, Column, Content                 int
	}
	fa := fields{a.Kind, a.Style, a.Tag, a.Value, a.Anchor, a.HeadComment, a.LineComment, a.FootComment, a.Line, a.Column, len(a.Content)}
	fb := fields{b.Kind, b.Style, b.Tag, b.Value, b.Anchor, b.HeadComment, b.LineComment, b.FootComment, b.Line, b.Column, len(b.Content)}
	if fa != fb {
		return fmt.Sprintf("%s: %+v, reference %+v", at, fa, fb)
	}
	if diff := sameNode(a.Alias, b.Alias, seen, at+"*"); diff != "" {
		return diff
	}
	for i := range a.Content {
		if diff := sameNode(a.Content[i], b.Content[i], seen, fmt.Sprintf("%s/%d", at, i)); diff != "" {
			return diff
		}
	}
	return ""
}

// TestReadMatchesKioOnEveryTestdataInput reads every YAML and JSON file
// under the repository's testdata folders both ways.
func TestReadMatchesKioOnEveryTestdataInput(t *testing.T) {
	var files []string
	for _, root := range []string{"../../testdata", "../../internal"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && isManifest(d.Name()) && strings.Contains(p, "testdata") {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) < 100 {
		t.Fatalf("found only %d testdata files; is the walk rooted right?", len(files))
	}
	whole := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if diff := sameAsReference(data); diff != "" {
			t.Errorf("%s: %s", p, diff)
		}
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		if _, ok := parseStream(text, splitDocuments(text)); ok {
			whole++
		}
	}
	if whole < 50 {
		t.Errorf("only %d of %d testdata files are read whole; the comparison must cover both paths", whole, len(files))
	}
}

func TestReadMatchesKioOnEdgeCases(t *testing.T) {
	for _, in := range []string{
		"", "\n", "---", "---\n", "--- # c\n", "---junk\na: 1\n", "a: 1\n---", "a: 1\n---\n",
		"# only\n# comments\n", "~\n", "null\n---\nkind: x\n", "...\n", "a: 1\n...\nb: 2\n",
		"%YAML 1.2\n---\na: 1\n", "a: 1\r\n---\r\nb: 2\r\n", "a: |\n  x\n---\nb: |\n  y\n",
		"a: &x {b: 1}\nc: *x\n", "a: *nope\n", "a: [\n", "\tkey: v\n", "a: 1\n  # foot\n\n# head\n---\n# head2\nb: 2 # line\n",
		"- a\n- b\n", "a: 1\rb: 2\r", "\xef\xbb\xbfa: 1\n", "a: \"\\u00e9\"\n", "a: 1\n----\nb: 2\n",
		"key: 'v'\n--- #c\n  - x\n", " ---\na: 1\n", "#\r\r\n0", "a: 1\r\r\nb: [\r\r\n",
	} {
		if diff := sameAsReference([]byte(in)); diff != "" {
			t.Errorf("%q: %s", in, diff)
		}
	}
	for _, in := range streamCases {
		if diff := sameAsReference([]byte(in)); diff != "" {
			t.Errorf("%q: %s", in, diff)
		}
	}
}

// streamCases are files parseStream may read whole, and their traps.
var streamCases = []string{
	"apiVersion: v1\nkind: A\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: A\nmetadata:\n  name: b\n",
	"---\na: 1\n---\nb: 2\n", "a: 1\n---\n---\nb: 2\n---\n", "\n\n---\n\na: 1\n", "a: 1\n---\n~\n---\nnull\n",
	"\u00a0\n---\na: 1\n", "a: 1\n---\n\u00a0\n", "a: &x 1\n---\nb: *x\n", "a: &x 1\nb: *x\n---\nc: 2\n",
	"a: 1\n---\nb: [1,\n---\n]\n", "a: 'x\n---\ny'\n", "a: |\n  x\n---\nb: |-\n  y\n", "- a\n---\nx\n---\n{a: 1}\n",
	"a: 1\n---\n  b: 2\n c: 3\n", "!!map\na: 1\n---\n&a {b: 1}\n", "a: b\n---\n\tx: 1\n", "a: 1\n---\n\x0b\n",
	"a: \"\\u2028\"\n---\nb: 2\n", "a: 1\n---\nb: \xff\n", "a:\n- 1\n-  2\n---\nb:\n  - x\n",
}

func TestPlainFilesAreReadWhole(t *testing.T) {
	whole := func(in string) bool {
		_, ok := parseStream(in, splitDocuments(in))
		return ok
	}
	for _, in := range []string{streamCases[0], streamCases[1], streamCases[2], "a: 1\n---\n~\n"} {
		if !whole(in) {
			t.Errorf("%q: not read whole", in)
		}
	}
	for _, in := range []string{"a: 1 # c\n", "a: 1\n--- \nb: 2\n", "a: &x 1\n---\nb: *x\n", "a: [\n", "...\n", "%YAML 1.2\n---\na: 1\n", "\u00a0\n---\na: 1\n", "a: 1\rb: 2\n"} {
		if whole(in) {
			t.Errorf("%q: read whole", in)
		}
	}
	data, err := os.ReadFile("../../testdata/golden/pod-template/input/gateways.yaml")
	if err == nil && !whole(string(data)) {
		t.Logf("pod-template input is not read whole (it has comments?)")
	}
}

// referenceRef is Ref as four walks of source.Step, its reference.
func referenceRef(rn *yaml.RNode) object.Ref {
	if rn == nil {
		return object.Ref{}
	}
	at := func(path ...string) string {
		n := rn.YNode()
		for _, step := range path {
			if _, n = Step(n, step); n == nil {
				return ""
			}
		}
		if n.Kind != yaml.ScalarNode {
			return ""
		}
		return n.Value
	}
	return object.New(at("apiVersion"), at("kind"), at("metadata", "namespace"), at("metadata", "name"))
}

func TestRefReadsAsStepDoes(t *testing.T) {
	var nodes []*yaml.RNode
	_ = filepath.WalkDir("../../testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isManifest(d.Name()) {
			data, _ := os.ReadFile(p)
			ns, _ := ReadBytes(data, p)
			nodes = append(nodes, ns...)
		}
		return nil
	})
	for _, doc := range []string{
		"kind: A\nkind: B\napiVersion: v1\napiVersion: v2\nmetadata: {name: a, name: b, namespace: [x], namespace: y}\n",
		"apiVersion: &v v1\nkind: *v\nmetadata: &m {name: n}\nx: *m\n", "m: &m {name: a, namespace: b}\nmetadata: *m\n",
		"metadata: [name, a]\n", "metadata: null\nmetadata: {name: late}\n", "- a\n- b\n", "plain\n", "{}\n",
		"apiVersion: {a: 1}\nkind: [x]\nmetadata: {name: {n: 1}}\n",
	} {
		nodes = append(nodes, yaml.MustParse(doc))
	}
	nodes = append(nodes, nil)
	for _, n := range nodes {
		if got, want := Ref(n), referenceRef(n); got != want {
			t.Errorf("%s: Ref %+v, reference %+v", Position(n), got, want)
		}
	}
}

// referencePlain is plain as a set of runes and a loop over lines.
func referencePlain(text string) bool {
	if strings.ContainsAny(text, "#\r\ufeff\u0085\u2028\u2029") {
		return false
	}
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(l, "---") && l != "---" || strings.HasPrefix(l, "...") || strings.HasPrefix(l, "%") {
			return false
		}
	}
	return true
}

func TestPlainMatchesItsReference(t *testing.T) {
	ins := []string{"", "\n", "---", "---\n", "----", "--- \n", "a\n---x", "a\n---", "..", "...", "a\n...", "%", "a\n%Y", "a%",
		"#", "a\rb", "\u0085", "\u2028", "\u2029", "\ufeff", "\xe2\xc2\x85", "\xc2", "\xe2\x80", "\xef\xbb", "é", "\u2027", "a: b\n"}
	ins = append(ins, streamCases...)
	for _, in := range ins {
		for _, s := range []string{in, "x: 1\n" + in, in + "\nx: 1"} {
			if plain(s) != referencePlain(s) {
				t.Errorf("%q: plain %v, reference %v", s, plain(s), referencePlain(s))
			}
		}
	}
}
