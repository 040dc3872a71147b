package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

func TestReadBytesKeepsFileLines(t *testing.T) {
	in := `# leading comment
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# second
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
  namespace: shop
spec:
  replicas: 2
`
	nodes, fs := ReadBytes([]byte(in), "dir/a.yaml")
	if len(fs) != 0 {
		t.Fatalf("unexpected findings: %v", fs)
	}
	if len(nodes) != 2 {
		t.Fatalf("got %d objects, want 2", len(nodes))
	}
	if got := Position(nodes[1]); got.Line != 8 || got.File != "dir/a.yaml" || got.Index != 1 {
		t.Errorf("second object position = %+v, want dir/a.yaml:8 index 1", got)
	}
	if got := FieldPosition(nodes[1], "spec.replicas"); got.Line != 14 || got.Column != 3 {
		t.Errorf("spec.replicas position = %+v, want line 14 column 3", got)
	}
	if got := FieldPosition(nodes[1], "spec.podTemplate.spec"); got.Line != 13 {
		t.Errorf("missing field falls back to nearest parent: got %+v, want line 13", got)
	}
	s, _ := nodes[1].String()
	if !strings.Contains(s, "# second") {
		t.Errorf("comment lost:\n%s", s)
	}
}

func TestReadBytesFindings(t *testing.T) {
	cases := []struct {
		name, in, rule string
		line           int
	}{
		{"invalid yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: [\n", RuleInvalidYAML, 7},
		{"not a map", "- a\n- b\n", RuleNotAnObject, 1},
		{"no kind", "apiVersion: v1\nmetadata:\n  name: a\n", RuleNotAnObject, 1},
		{"no name", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n", RuleNotAnObject, 3},
		{"bad separator", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n--- junk\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n", RuleInvalidYAML, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, fs := ReadBytes([]byte(c.in), "f.yaml")
			if len(fs) != 1 {
				t.Fatalf("got %d findings (%v), want 1", len(fs), fs)
			}
			f := fs[0]
			if f.Rule != c.rule || f.Pos.Line != c.line || f.Pos.File != "f.yaml" || f.Severity != finding.Error {
				t.Errorf("got %s, want rule %s at line %d", f, c.rule, c.line)
			}
		})
	}
}

func TestReadDirectoryDuplicatesAndHidden(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\n"
	write("b/one.yaml", cm)
	write("a.yml", "# c\n"+cm)
	write(".git/skip.yaml", "not: [valid")
	write("notes.txt", "ignored")
	nodes, fs, err := Reader{Paths: []string{dir}}.Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 2 || len(fs) != 1 {
		t.Fatalf("got %d objects and findings %v; want 2 objects and 1 duplicate", len(nodes), fs)
	}
	f := fs[0]
	if f.Rule != RuleDuplicateObject || !strings.HasSuffix(f.Pos.File, "b/one.yaml") || !strings.Contains(f.Message, "a.yml:2") {
		t.Errorf("duplicate finding = %s; want it at b/one.yaml naming a.yml:2", f)
	}
	if _, _, err := (Reader{Paths: []string{filepath.Join(dir, "missing")}}).Read(); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing path error = %v", err)
	}
}

func TestReadStdin(t *testing.T) {
	nodes, fs, err := Reader{Paths: []string{"-"}, Stdin: strings.NewReader("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n")}.Read()
	if err != nil || len(fs) != 0 || len(nodes) != 1 {
		t.Fatalf("got %d nodes, %v, %v", len(nodes), fs, err)
	}
	if got := Position(nodes[0]).File; got != StdinName {
		t.Errorf("file = %q, want %q", got, StdinName)
	}
}

func TestMalformedMetadataIsAFindingNotAPanic(t *testing.T) {
	for _, in := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata: [a]\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a]\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: [x]\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    a: {b: c}\n",
		"apiVersion: [v1]\nkind: ConfigMap\nmetadata:\n  name: a\n",
	} {
		_, fs := ReadBytes([]byte(in), "m.yaml")
		if len(fs) != 1 || fs[0].Rule != RuleNotAnObject {
			t.Errorf("%q: findings %v, want one %s", in, fs, RuleNotAnObject)
		}
	}
}
