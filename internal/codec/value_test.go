package codec_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// slowValue is the conversion Value must agree with: kyaml's JSON, read as
// an unstructured object.
func slowValue(t *testing.T, n *yaml.RNode) map[string]any {
	t.Helper()
	b, err := n.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	return u.Object
}

func TestValueMatchesJSONRoundTrip(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(goldenRoot, "*", "input"))
	dirs = append(dirs, "../../docs/examples")
	checked := 0
	for _, d := range dirs {
		res, err := pipeline.Run(pipeline.Options{Paths: []string{d}})
		if err != nil {
			t.Fatal(err)
		}
		nodes, _, _ := source.Reader{Paths: []string{d}}.Read()
		for _, n := range append(res.Objects, nodes...) {
			got, err := codec.Value(n)
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if want := slowValue(t, n); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s/%s converts differently:\n got %#v\nwant %#v", d, n.GetKind(), n.GetName(), got, want)
			}
			checked++
		}
	}
	scalars := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: 0x1F\n  b: 1e3\n  d: True\n  e: ~\n  f: 2001-01-01\n  g: '1'\n  h: +1\n  i: 1_000\n  j: [1, 2.5, \"x\", null, false]\n  k: &a {x: 1}\n  l: *a\n"
	n := yaml.MustParse(scalars)
	got, err := codec.Value(n)
	if err != nil {
		t.Fatal(err)
	}
	if want := slowValue(t, n); !reflect.DeepEqual(got, want) {
		t.Errorf("scalars convert differently:\n got %#v\nwant %#v", got, want)
	}
	if checked < 50 {
		t.Errorf("only %d objects checked", checked)
	}
}

func TestValueRefusesWhatJSONCannotHold(t *testing.T) {
	n := yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: .inf}\n")
	if _, err := codec.Value(n); err == nil {
		t.Error("an infinite number converted without error")
	}
}
