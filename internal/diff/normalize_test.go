package diff

import (
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func liveDeployment() *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata": map[string]interface{}{
			"name":                       "edge",
			"namespace":                  "shop",
			"managedFields":              []interface{}{map[string]interface{}{"manager": "kubectl-mgi"}},
			"resourceVersion":            "42",
			"uid":                        "0b1c",
			"generation":                 int64(3),
			"creationTimestamp":          "2024-01-01T00:00:00Z",
			"selfLink":                   "/apis/apps/v1/namespaces/shop/deployments/edge",
			"deletionTimestamp":          "2024-01-02T00:00:00Z",
			"deletionGracePeriodSeconds": int64(30),
			"labels":                     map[string]interface{}{"app": "edge"},
			"annotations": map[string]interface{}{
				LastAppliedAnnotation: `{"kind":"Deployment"}`,
			},
		},
		"spec":   map[string]interface{}{"replicas": int64(2)},
		"status": map[string]interface{}{"readyReplicas": int64(2)},
	}}
}

func TestNormalizeDropsServerFields(t *testing.T) {
	in := liveDeployment()
	orig := in.DeepCopy()
	got := Normalize(in)
	want := map[string]interface{}{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata": map[string]interface{}{
			"name":      "edge",
			"namespace": "shop",
			"labels":    map[string]interface{}{"app": "edge"},
		},
		"spec": map[string]interface{}{"replicas": int64(2)},
	}
	if !reflect.DeepEqual(got.Object, want) {
		t.Errorf("Normalize =\n%#v\nwant\n%#v", got.Object, want)
	}
	if !reflect.DeepEqual(in.Object, orig.Object) {
		t.Errorf("Normalize modified its input")
	}
}

func TestNormalizeKeepsOtherAnnotations(t *testing.T) {
	in := liveDeployment()
	in.SetAnnotations(map[string]string{LastAppliedAnnotation: "{}", "team": "shop"})
	got := Normalize(in).GetAnnotations()
	if !reflect.DeepEqual(got, map[string]string{"team": "shop"}) {
		t.Errorf("annotations = %v, want only team", got)
	}
}

func TestNormalizeOddInputs(t *testing.T) {
	if Normalize(nil) != nil {
		t.Errorf("Normalize(nil) is not nil")
	}
	empty := Normalize(&unstructured.Unstructured{})
	if empty == nil || empty.Object != nil {
		t.Errorf("Normalize(empty) = %#v", empty)
	}
	// metadata and annotations of the wrong type are left as they are.
	odd := &unstructured.Unstructured{Object: map[string]interface{}{
		"kind":     "X",
		"metadata": "not a map",
		"status":   "gone",
	}}
	got := Normalize(odd)
	if got.Object["metadata"] != "not a map" || got.Object["status"] != nil {
		t.Errorf("Normalize(odd) = %#v", got.Object)
	}
}

func TestToYAMLSortsKeys(t *testing.T) {
	got, err := ToYAML(Normalize(liveDeployment()))
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: edge
  name: edge
  namespace: shop
spec:
  replicas: 2
`
	if got != want {
		t.Errorf("ToYAML =\n%s\nwant\n%s", got, want)
	}
	if s, err := ToYAML(nil); s != "" || err != nil {
		t.Errorf("ToYAML(nil) = %q, %v", s, err)
	}
}

func TestToYAMLErrorNamesObject(t *testing.T) {
	obj := &unstructured.Unstructured{Object: map[string]interface{}{
		"kind":     "ConfigMap",
		"metadata": map[string]interface{}{"name": "c", "namespace": "ns"},
		"data":     map[string]interface{}{"f": func() {}},
	}}
	_, err := ToYAML(obj)
	if err == nil {
		t.Fatal("ToYAML of a func value did not fail")
	}
	if got := err.Error(); !strings.HasPrefix(got, "ConfigMap/ns/c: ") {
		t.Errorf("error %q does not start with the object", got)
	}
}
