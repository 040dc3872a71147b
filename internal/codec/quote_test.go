package codec_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// yaml11Strings are strings that a YAML 1.1 reader (kubectl's) or a YAML
// 1.2 reader takes for something else when they are written plain.
var yaml11Strings = []string{
	"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "yEs",
	"true", "False", "null", "Null", "NULL", "~", "0x1F", "0o17", "017", "0b101", "1e3", "1E3", "1_000", "+1", "-1",
	".inf", "-.Inf", ".NaN", "1.5", "0.", ".5", "1:20", "190:20:30.15", "2024-01-01", "2024-01-01T10:00:00Z", "<<", "=",
}

// TestWritersQuoteForEveryReader writes a ConfigMap whose keys, values,
// labels and list items are those strings, and reads the output back with
// sigs.k8s.io/yaml (YAML 1.1, what kubectl uses): every value must still be
// the same string. Both writers must agree byte for byte.
func TestWritersQuoteForEveryReader(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n")
	for i, v := range yaml11Strings {
		fmt.Fprintf(&b, "    l%d: %q\n", i, v)
	}
	b.WriteString("data:\n")
	for _, v := range yaml11Strings {
		fmt.Fprintf(&b, "  %q: %q\n", v, v)
	}
	b.WriteString("list:\n")
	for _, v := range yaml11Strings {
		fmt.Fprintf(&b, "- %q\n", v)
	}
	nodes, findings := source.ReadBytes([]byte(b.String()), "q.yaml")
	if len(nodes) != 1 || findings.HasErrors() {
		t.Fatalf("fixture: %v", findings)
	}
	// Written as the expansion builds them: plain strings, quoting left
	// to the writer.
	var plain func(n *yaml.Node)
	plain = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			n.Style = 0
		}
		for _, c := range n.Content {
			plain(c)
		}
	}
	plain(nodes[0].YNode())
	fast, slow := fastYAML(t, nodes), slowYAML(t, nodes)
	if fast != slow {
		t.Fatalf("fast writer differs.\n--- kyaml\n%s\n--- fast\n%s", slow, fast)
	}
	var back struct {
		Metadata struct{ Labels map[string]interface{} }
		Data     map[string]interface{}
		List     []interface{}
	}
	if err := sigsyaml.Unmarshal([]byte(fast), &back); err != nil {
		t.Fatalf("sigs.k8s.io/yaml cannot read the output: %v\n%s", err, fast)
	}
	for i, v := range yaml11Strings {
		if got := back.Metadata.Labels[fmt.Sprintf("l%d", i)]; got != v {
			t.Errorf("label value %q reads back as %#v", v, got)
		}
		if got, ok := back.Data[v]; !ok || got != v {
			t.Errorf("data key/value %q reads back as %#v (present %v)", v, got, ok)
		}
		if i < len(back.List) && back.List[i] != v {
			t.Errorf("list item %q reads back as %#v", v, back.List[i])
		}
	}
	// Strings that are strings for every reader stay plain, as kyaml writes them.
	for _, v := range []string{"10.0.0.1", "1.2.3", "v1", "edge", "1-2", "http://localhost:9901/ready"} {
		if codec.ReadsAsNonString(v) {
			t.Errorf("readsAsNonString(%q) = true; it is a string for every reader and kyaml writes it plain", v)
		}
	}
}

// checkStringsSurvive: every string of the input (as kyaml reads it) is
// the same string at the same place when sigs.k8s.io/yaml (YAML 1.1) reads
// the written output.
func checkStringsSurvive(t *testing.T, nodes []*yaml.RNode, out string) {
	t.Helper()
	docs := strings.Split(out, "\n---\n")
	if len(docs) != len(nodes) {
		// A document holding "---" text itself; the byte comparison
		// with kyaml already covered it.
		return
	}
	for i := range docs[:len(docs)-1] {
		docs[i] += "\n"
	}
	for i, n := range nodes {
		clean, err := codec.Clean([]*yaml.RNode{n})
		if err != nil {
			return
		}
		in, err := clean[0].MarshalJSON()
		if err != nil {
			return
		}
		outJSON, err := sigsyaml.YAMLToJSON([]byte(docs[i]))
		if err != nil {
			// goyaml.v2 rejects some YAML 1.2 (and so would kubectl);
			// this property is about values it does read.
			return
		}
		var want, got interface{}
		if json.Unmarshal(in, &want) != nil || json.Unmarshal(outJSON, &got) != nil {
			return
		}
		if path, ok := sameStrings(want, got, ""); !ok {
			t.Fatalf("string at %s does not read back as the same string through sigs.k8s.io/yaml:\n%s", path, docs[i])
		}
	}
}

// sameStrings reports whether every string leaf of want is the same string
// at the same path in got.
func sameStrings(want, got interface{}, path string) (string, bool) {
	switch w := want.(type) {
	case string:
		return path, got == w
	case map[string]interface{}:
		g, ok := got.(map[string]interface{})
		if !ok {
			return path, false
		}
		for k, v := range w {
			gv, present := g[k]
			if !present {
				return path + "." + k, false
			}
			if p, ok := sameStrings(v, gv, path+"."+k); !ok {
				return p, false
			}
		}
	case []interface{}:
		g, ok := got.([]interface{})
		if !ok || len(g) != len(w) {
			return path, false
		}
		for i := range w {
			if p, ok := sameStrings(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
	}
	return path, true
}

// TestKeysThatResolveToNonStrings: keys written plain in the input that
// YAML reads as numbers, booleans, null or timestamps (000, 1e3, true, ~)
// are keys "000", "1e3", ... to the tool, as in every Kubernetes object;
// both writers quote them so kubectl reads the same keys. FuzzFastWriter
// found `000:` reading back as "0" (testdata/fuzz/FuzzFastWriter/a0b8b4213f8383c8).
func TestKeysThatResolveToNonStrings(t *testing.T) {
	keys := []string{"000", "0x1F", "1e3", "-.Inf", ".nan", "true", "null", "~", "2024-01-01"}
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s: v\n", k)
	}
	nodes, findings := source.ReadBytes([]byte(b.String()), "k.yaml")
	if len(nodes) != 1 || findings.HasErrors() {
		t.Fatalf("fixture: %v", findings)
	}
	fast, slow := fastYAML(t, nodes), slowYAML(t, nodes)
	if fast != slow {
		t.Fatalf("fast writer differs.\n--- kyaml\n%s\n--- fast\n%s", slow, fast)
	}
	var back struct{ Data map[string]interface{} }
	if err := sigsyaml.Unmarshal([]byte(fast), &back); err != nil {
		t.Fatalf("sigs.k8s.io/yaml cannot read the output: %v\n%s", err, fast)
	}
	for _, k := range keys {
		if back.Data[k] != "v" {
			t.Errorf("key %s does not read back as the string %q:\n%s", k, k, fast)
		}
	}
	checkStringsSurvive(t, nodes, fast)
}
