package source

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Lines count from the top of the file in documents with and without
// aliases (the two walks of shift), and an alias bomb is refused at its
// first alias.
func TestAliasesAndLinesAfterTheFirstDocument(t *testing.T) {
	src := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n" +
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n  x: &v one\n  y: *v\n---\n" +
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  z: two\n"
	nodes, fs := ReadBytes([]byte(src), "in.yaml")
	if len(fs) != 0 || len(nodes) != 3 {
		t.Fatalf("nodes %d, findings %v", len(nodes), fs)
	}
	for i, want := range map[int]int{1: 10, 2: 16} {
		key := map[int]string{1: "y", 2: "z"}[i]
		_, v := Walk(nodes[i].YNode(), []string{"data", key})
		if v == nil || v.Line != want {
			t.Errorf("document %d: data.%s at line %v, want %d", i, key, v, want)
		}
	}

	var bomb strings.Builder
	bomb.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\na: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g"} {
		bomb.WriteString(name + ": &" + name + " [")
		for i := 0; i < 10; i++ {
			if i > 0 {
				bomb.WriteString(", ")
			}
			bomb.WriteString("*" + prev)
		}
		bomb.WriteString("]\n")
		prev = name
	}
	_, fs = ReadBytes([]byte(bomb.String()), "bomb.yaml")
	if len(fs) != 1 || fs[0].Pos.Line != 6 || !strings.Contains(fs[0].Message, "alias bomb") {
		t.Errorf("alias bomb: %v", fs)
	}
}

func TestAliasFree(t *testing.T) {
	plain := yaml.MustParse("a: [1, 2]\nb: {c: d}\n").YNode()
	if n, ok := aliasFree(plain); !ok || n != 9 {
		t.Errorf("plain: %d nodes, alias-free %v; want 9, true", n, ok)
	}
	if _, ok := aliasFree(yaml.MustParse("a: &x 1\nb: *x\n").YNode()); ok {
		t.Error("a document with an alias is not alias-free")
	}
}
