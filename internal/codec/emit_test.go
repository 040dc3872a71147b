package codec_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"

	"github.com/kubectl-mgi/kubectl-mgi/internal/benchgen"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// slowYAML is what WriteYAML must equal: kyaml's ByteWriter on clean copies.
func slowYAML(t testing.TB, nodes []*yaml.RNode) string {
	clean, err := codec.Clean(nodes)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (kio.ByteWriter{Writer: &b}).Write(clean); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func fastYAML(t testing.TB, nodes []*yaml.RNode) string {
	var b bytes.Buffer
	if err := codec.WriteYAML(&b, nodes); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestFastWriterMatchesKyaml renders every golden input and a generated
// directory both ways.
func TestFastWriterMatchesKyaml(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(goldenRoot, "*", "input"))
	gen := t.TempDir()
	if err := benchgen.Write(gen, 50, 10); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, gen, "../../docs/examples")
	fast := 0
	for _, d := range dirs {
		res, err := pipeline.Run(pipeline.Options{Paths: []string{d}})
		if err != nil {
			t.Fatal(err)
		}
		for _, set := range [][]*yaml.RNode{res.Objects, readAll(t, d)} {
			if got, want := fastYAML(t, set), slowYAML(t, set); got != want {
				t.Errorf("%s: fast writer differs from kyaml's.\n--- kyaml\n%s\n--- fast\n%s", d, want, got)
			}
			for _, n := range set {
				if codec.FastPath(n) {
					fast++
				}
			}
		}
	}
	if fast == 0 {
		t.Error("no document took the fast path: the test compares nothing")
	}
}

func readAll(t *testing.T, dir string) []*yaml.RNode {
	nodes, _, err := source.Reader{Paths: []string{dir}}.Read()
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

// TestFastWriterScalars covers the quoting decisions one by one.
func TestFastWriterScalars(t *testing.T) {
	values := []string{
		"plain", "80", "0", "-1", "1.5", ".inf", "true", "True", "yes", "no", "on", "null", "~", "0x1F", "0o17", "1e3",
		"a: b", "a:b", "x:", "#x", "x #y", "x#y", "@x", "`x", "-", "- x", "-x", "--flag=1", "?", "? x", ":x", "---x", "...x",
		"{\"a\":\"b\"}", "[a]", "a,b", "it's", "'q'", "\"d\"", " lead", "trail ", "back\\slash", "%x", "!x", "&x", "*x", "|x", ">x",
		"http://localhost:9901/ready", "<<", "a b", "2001-01-01", "12:30", "1_000", "+1", "0.", ".5", "NaN", ".NaN", "Y", "n",
		"y", "YES", "On", "OFF", "No", "yEs", "Null", "NULL", "=", "0b101", "017", "0x_1F", "1E3", "-.Inf", "1:20", "190:20:30.15",
		"2024-01-01T10:00:00Z", "2024-1-1 10:00:00", "10.0.0.1", "1.2.3", "v1", "1-2", "0xZZ", "+", "_1",
	}
	for _, v := range values {
		for _, tag := range []string{"", yaml.NodeTagString} {
			for _, style := range []yaml.Style{0, yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle} {
				obj := yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
				val := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v, Style: style}
				key := &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v, Style: style}
				obj.YNode().Content = append(obj.YNode().Content,
					&yaml.Node{Kind: yaml.ScalarNode, Value: "data"},
					&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{key, val}},
					&yaml.Node{Kind: yaml.ScalarNode, Value: "list"},
					&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: tag, Value: v, Style: style}}})
				nodes := []*yaml.RNode{obj}
				if got, want := fastYAML(t, nodes), slowYAML(t, nodes); got != want {
					t.Errorf("value %q tag %q style %v:\n--- kyaml\n%s--- fast\n%s", v, tag, style, want, got)
				}
			}
		}
	}
}

// FuzzFastWriter: for any YAML the reader accepts, the fast writer either
// declines or writes exactly what kyaml writes.
func FuzzFastWriter(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(goldenRoot, "*", "input", "*.yaml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, _ := source.ReadBytes(data, "fuzz.yaml")
		if len(nodes) == 0 {
			return
		}
		got, want := fastYAML(t, nodes), slowYAML(t, nodes)
		if got != want {
			t.Fatalf("fast writer differs.\n--- kyaml\n%s\n--- fast\n%s", want, got)
		}
		checkStringsSurvive(t, nodes, got)
		if shared := withSharedPodSpecs(nodes); len(shared) > len(nodes) {
			if got, want := fastYAML(t, shared), slowYAML(t, shared); got != want {
				t.Fatalf("fast writer differs on shared pod specs.\n--- kyaml\n%s\n--- fast\n%s", want, got)
			}
		}
	})
}

// withSharedPodSpecs adds, after each node with a spec.template.spec, two
// copies whose pod spec is that same node, as the Encoder shares it.
func withSharedPodSpecs(nodes []*yaml.RNode) []*yaml.RNode {
	var out []*yaml.RNode
	for _, n := range nodes {
		out = append(out, n)
		spec, err := n.Pipe(yaml.Lookup("spec", "template", "spec"))
		if err != nil || spec == nil {
			continue
		}
		for range 2 {
			c := n.Copy()
			tmpl, err := c.Pipe(yaml.Lookup("spec", "template"))
			if err != nil || tmpl == nil {
				continue
			}
			m := tmpl.YNode()
			for i := 0; i+1 < len(m.Content); i += 2 {
				if m.Content[i].Value == "spec" {
					m.Content[i+1] = spec.YNode()
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// TestFastWriterSharedPodSpecs writes Deployments sharing one pod spec
// node, as the Encoder makes them, among others that do not: the bytes
// are kyaml's, and the shared spec was written once and copied.
func TestFastWriterSharedPodSpecs(t *testing.T) {
	gen := t.TempDir()
	if err := benchgen.Write(gen, 30, 3); err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(pipeline.Options{Paths: []string{gen}})
	if err != nil {
		t.Fatal(err)
	}
	nodes := withSharedPodSpecs(append(res.Objects, readAll(t, "../../docs/examples")...))
	var b bytes.Buffer
	copied, err := codec.WriteYAMLCountShared(&b, nodes)
	if err != nil {
		t.Fatal(err)
	}
	if want := slowYAML(t, nodes); b.String() != want {
		t.Errorf("fast writer differs on shared pod specs.\n--- kyaml\n%s\n--- fast\n%s", want, b.String())
	}
	if copied < 30 {
		t.Errorf("%d pod specs copied from an earlier document, want at least 30 (one Deployment per instance)", copied)
	}
}

// TestFastWriterLeavesOutReaderAnnotations: the reader's annotations are
// skipped while metadata is written, wherever they sit among the others,
// and an annotations mapping with nothing else goes, as kyaml writes Clean
// copies.
func TestFastWriterLeavesOutReaderAnnotations(t *testing.T) {
	docs := []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    config.kubernetes.io/path: a.yaml\n    config.kubernetes.io/index: '0'\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/path: a.yaml\n    team: web\n    internal.config.kubernetes.io/index: '1'\n    z: last\n  name: b\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    team: web\n    internal.config.kubernetes.io/path: c.yaml\n  labels:\n    app: c\ndata:\n  k: v\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  annotations:\n    team: web\n",
	}
	var nodes []*yaml.RNode
	for _, d := range docs {
		nodes = append(nodes, yaml.MustParse(d))
	}
	fast := 0
	for _, n := range nodes {
		if codec.FastPath(n) {
			fast++
		}
	}
	if fast != len(nodes) {
		t.Fatalf("%d of %d documents take the fast path", fast, len(nodes))
	}
	if got, want := fastYAML(t, nodes), slowYAML(t, nodes); got != want {
		t.Errorf("fast writer differs from kyaml's.\n--- kyaml\n%s\n--- fast\n%s", want, got)
	}
}
