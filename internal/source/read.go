// Package source reads manifests from directories, files and standard input
// into kyaml RNodes. Every object keeps its file (kio's path annotation), its
// document index, and line numbers that count from the top of its file, so
// that any later finding can point at the exact line a person must edit.
package source

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/parallel"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Stdin is the path that means "read standard input".
const Stdin = "-"

// StdinName is the file name that findings use for objects read from stdin.
const StdinName = "<stdin>"

// Rule ids of the findings this package produces.
const (
	// RuleInvalidYAML: a document is not well-formed YAML.
	RuleInvalidYAML = "InvalidYAML"
	// RuleNotAnObject: a document lacks apiVersion, kind or metadata.name.
	RuleNotAnObject = "NotAnObject"
	// RuleDuplicateObject: the same group, kind, namespace and name twice.
	RuleDuplicateObject = "DuplicateObject"
)

// Reader reads the given paths. Stdin is used for the path "-".
type Reader struct {
	Paths []string
	Stdin io.Reader
	// ReadFile reads one file; nil means the file system (regular files
	// only, at most MaxFileSize bytes). A seam for tests that count reads.
	ReadFile func(path string) ([]byte, error)
	// MaxFileSize is the largest file (or standard input) read, in bytes;
	// 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// MaxInputSize bounds all files together, in bytes; 0 means
	// DefaultMaxInputSize.
	MaxInputSize int64
}

// Read returns the objects in the order of Paths (files of a directory in
// lexical order, documents in file order) and findings for every document
// that could not be used. The error is only for paths that cannot be read.
func (r Reader) Read() ([]*yaml.RNode, finding.List, error) {
	var files []string
	for _, p := range r.Paths {
		fs, err := r.expand(p)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, fs...)
	}
	files, notes := skipKustomizations(files)
	if err := r.checkTotal(files); err != nil {
		return nil, nil, err
	}
	// Files parse independently: read them on all cores, then put the
	// results together in file order.
	type parsed struct {
		nodes    []*yaml.RNode
		findings finding.List
		err      error
	}
	results := make([]parsed, len(files))
	parallel.Each(len(files), func(i int) {
		data, err := r.readFile(files[i])
		if err != nil {
			results[i].err = err
			return
		}
		results[i].nodes, results[i].findings = ReadBytes(data, displayName(files[i]))
	})
	var nodes []*yaml.RNode
	findings := notes
	for _, res := range results {
		if res.err != nil {
			return nil, nil, res.err
		}
		nodes = append(nodes, res.nodes...)
		findings = append(findings, res.findings...)
	}
	findings = append(findings, Duplicates(nodes)...)
	return nodes, findings, nil
}

func displayName(p string) string {
	if p == Stdin {
		return StdinName
	}
	return filepath.ToSlash(filepath.Clean(p))
}

func (r Reader) readFile(p string) ([]byte, error) {
	limit := r.maxFileSize()
	if p == Stdin {
		if r.Stdin == nil {
			return nil, fmt.Errorf("reading standard input: no input stream; pass a directory or file instead of -")
		}
		b, err := io.ReadAll(io.LimitReader(r.Stdin, limit+1))
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		if int64(len(b)) > limit {
			return nil, tooLarge(StdinName, "more than "+sizeString(limit), limit)
		}
		return b, nil
	}
	if r.ReadFile != nil {
		b, err := r.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		return b, nil
	}
	return readRegular(p, limit)
}

// lineRef finds "line N" in yaml's error messages, to shift it to the file.
var lineRef = regexp.MustCompile(`line (\d+)`)

// ReadBytes reads one file's worth of YAML. file names the objects' origin in
// annotations and findings.
func ReadBytes(data []byte, file string) ([]*yaml.RNode, finding.List) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	docs := splitDocuments(text)
	parsed, ok := parseStream(text, docs)
	if !ok {
		parsed = parseEach(docs, parseDocument)
	}
	return objects(parsed, file)
}

// objects turns the parsed documents into objects and findings: lines
// counted from the top of the file, the limits on aliases, the checks that
// each is an object, and the file and index annotations.
func objects(docs []parsed, file string) ([]*yaml.RNode, finding.List) {
	var nodes []*yaml.RNode
	var findings finding.List
	index := 0
	for _, doc := range docs {
		if doc.document.err != "" {
			findings = append(findings, invalid(file, doc.line, doc.document.err))
			continue
		}
		if doc.err != nil {
			findings = append(findings, invalid(file, doc.line, shiftLines(doc.err.Error(), doc.line-1)))
			continue
		}
		n := doc.node
		if n == nil {
			continue
		}
		y := n.YNode()
		size, free := doc.nodes, true // parseStream counted them
		if !doc.global {
			size, free = aliasFree(y)
			shift(y, doc.line-1, free)
		}
		if line, msg := checkAliases(y, size, free); msg != "" {
			findings = append(findings, finding.Finding{Rule: RuleInvalidYAML, Severity: finding.Error,
				Message: msg, Pos: finding.Position{File: file, Line: line, Column: 1}})
			continue
		}
		pos := finding.Position{File: file, Line: objectLine(n), Column: 1, Index: index}
		if f, ok := checkObject(n, pos); !ok {
			findings = append(findings, f)
			index++
			continue
		}
		if err := annotate(n, file, index); err != nil {
			findings = append(findings, invalid(file, doc.line, err.Error()))
			continue
		}
		nodes = append(nodes, n)
		index++
	}
	return nodes, findings
}

// shift moves every node's line by offset, so that lines count from the top
// of the file rather than from the top of the document. free says that n
// holds no alias (aliasFree).
func shift(n *yaml.Node, offset int, free bool) {
	if n == nil || offset == 0 {
		return
	}
	if free {
		shiftTree(n, offset)
		return
	}
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.Line > 0 {
			n.Line += offset
		}
		for _, c := range n.Content {
			walk(c)
		}
		walk(n.Alias)
	}
	walk(n)
}

// shiftTree is shift for a tree without aliases, where every node is
// reached once.
func shiftTree(n *yaml.Node, offset int) {
	if n == nil {
		return
	}
	if n.Line > 0 {
		n.Line += offset
	}
	for _, c := range n.Content {
		shiftTree(c, offset)
	}
}

func shiftLines(msg string, offset int) string {
	return lineRef.ReplaceAllStringFunc(msg, func(s string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "line "))
		return "line " + strconv.Itoa(n+offset)
	})
}

func objectLine(n *yaml.RNode) int {
	y := n.YNode()
	if y.Kind == yaml.MappingNode && len(y.Content) > 0 {
		return y.Content[0].Line
	}
	return y.Line
}

func invalid(file string, line int, msg string) finding.Finding {
	msg = strings.TrimPrefix(msg, "MalformedYAMLError: ")
	if m := lineRef.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return finding.Finding{
		Rule:     RuleInvalidYAML,
		Severity: finding.Error,
		Message:  msg + "; fix the YAML syntax",
		Pos:      finding.Position{File: file, Line: line, Column: 1},
	}
}

// checkObject accepts a document only if it is a Kubernetes object: a map
// with apiVersion, kind and metadata.name (or generateName, which apply
// cannot use, so it is refused too).
func checkObject(n *yaml.RNode, pos finding.Position) (finding.Finding, bool) {
	f := finding.Finding{Rule: RuleNotAnObject, Severity: finding.Error, Pos: pos}
	if n.YNode().Kind != yaml.MappingNode {
		f.Message = "this document is not a Kubernetes object (expected a map with apiVersion, kind and metadata.name); remove it or fix its structure"
		return f, false
	}
	f.Object = Ref(n)
	for _, field := range []string{"apiVersion", "kind"} {
		// firstValue is kyaml's Field (the first key of the name) without
		// its allocations.
		if v := firstValue(n.YNode(), field); v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
			f.Field = field
			f.Message = fmt.Sprintf("%s is missing; every object needs apiVersion, kind and metadata.name", field)
			if field == "kind" {
				// Without a kind the reference would print as "/name"; name
				// the object in the message instead.
				if f.Object.Name != "" {
					f.Message = fmt.Sprintf("kind is missing in the object named %q; every object needs apiVersion, kind and metadata.name", f.Object.Name)
				}
				f.Object = object.Ref{}
			}
			return f, false
		}
	}
	if bad, msg := badMetadata(n.YNode()); bad != "" {
		f.Field = bad
		f.Pos.Line, f.Pos.Column = fieldLine(n, bad)
		f.Message = msg
		return f, false
	}
	if f.Object.Name == "" {
		f.Field = "metadata.name"
		f.Pos.Line, f.Pos.Column = fieldLine(n, "metadata.name")
		f.Message = "metadata.name is missing; set a name (generateName cannot be applied declaratively)"
		return f, false
	}
	return f, true
}

// badMetadata checks the shape of metadata that every later step relies on:
// a map whose name and namespace are strings and whose labels and
// annotations are maps of strings.
func badMetadata(obj *yaml.Node) (string, string) {
	_, meta := Step(obj, "metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return "metadata", "metadata must be a map holding at least name"
	}
	for _, k := range []string{"name", "namespace"} {
		if _, v := Step(meta, k); v != nil && v.Kind != yaml.ScalarNode {
			return "metadata." + k, "metadata." + k + " must be a string"
		}
	}
	for _, k := range []string{"labels", "annotations"} {
		_, v := Step(meta, k)
		if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
			continue
		}
		if v.Kind != yaml.MappingNode {
			return "metadata." + k, "metadata." + k + " must be a map of strings"
		}
		for i := 1; i < len(v.Content); i += 2 {
			if v.Content[i].Kind != yaml.ScalarNode || v.Content[i-1].Kind != yaml.ScalarNode {
				return "metadata." + k, "metadata." + k + " must be a map of strings; quote values such as true or 1"
			}
		}
	}
	return "", ""
}

// annotate records file and index the way kio does, writing the nodes
// directly: kyaml's SetAnnotation filter took a tenth of render's time.
// checkObject has made sure metadata is a map and annotations, if present,
// a map of strings.
func annotate(n *yaml.RNode, file string, index int) error {
	_, meta := Step(n.YNode(), "metadata")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return fmt.Errorf("annotating object: metadata is not a map")
	}
	_, ann := Step(meta, "annotations")
	if ann == nil || ann.Kind != yaml.MappingNode {
		// Room for the two annotations set below.
		ann = &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: make([]*yaml.Node, 0, 4)}
		if _, v := Step(meta, "annotations"); v != nil { // annotations: null
			*v = *ann
			ann = v
		} else {
			meta.Content = append(meta.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: "annotations"}, ann)
		}
	}
	ann.Content = slices.Grow(ann.Content, 4)
	// A slice, not a map: annotations are written in this order every time.
	// Only kio's internal forms: every reader here accepts either, and on a
	// large directory the legacy copies cost tens of megabytes.
	for _, kv := range [][2]string{
		{kioutil.PathAnnotation, file},
		{kioutil.IndexAnnotation, strconv.Itoa(index)},
	} {
		setString(ann, kv[0], kv[1])
	}
	return nil
}

// setString sets key to value in mapping m (SetField with new nodes).
func setString(m *yaml.Node, key, value string) {
	SetField(m, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: key}, &yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: value})
}

// SetField sets key's value in the mapping m: the value node of the first
// pair with that key is replaced (never edited in place, so a value node
// shared with other objects stays as it is), else the pair is appended.
func SetField(m, key, value *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key.Value {
			m.Content[i+1] = value
			return
		}
	}
	m.Content = append(m.Content, key, value)
}
