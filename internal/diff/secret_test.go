package diff

import (
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func secret(fields map[string]interface{}) *unstructured.Unstructured {
	obj := map[string]interface{}{
		"apiVersion": "v1",
		"kind":       "Secret",
		"metadata":   map[string]interface{}{"name": "token", "namespace": "shop"},
		"type":       "Opaque",
	}
	for k, v := range fields {
		obj[k] = v
	}
	return &unstructured.Unstructured{Object: obj}
}

func TestMaskSecretsComparesValues(t *testing.T) {
	before := secret(map[string]interface{}{"data": map[string]interface{}{
		"same":    "c2FtZQ==",
		"changed": "b2xk",
		"removed": "Z29uZQ==",
	}})
	after := secret(map[string]interface{}{
		"data": map[string]interface{}{
			"same":    "c2FtZQ==",
			"changed": "bmV3",
			"added":   "bmV3",
		},
		"stringData": map[string]interface{}{"plain": "hunter2"},
	})
	MaskSecrets(before, after)

	wantBefore := map[string]interface{}{"same": Mask, "changed": MaskBefore, "removed": Mask}
	wantAfter := map[string]interface{}{"same": Mask, "changed": MaskAfter, "added": Mask}
	if got := before.Object["data"]; !reflect.DeepEqual(got, wantBefore) {
		t.Errorf("before data = %v, want %v", got, wantBefore)
	}
	if got := after.Object["data"]; !reflect.DeepEqual(got, wantAfter) {
		t.Errorf("after data = %v, want %v", got, wantAfter)
	}
	if got := after.Object["stringData"]; !reflect.DeepEqual(got, map[string]interface{}{"plain": Mask}) {
		t.Errorf("after stringData = %v", got)
	}
	if before.Object["type"] != "Opaque" {
		t.Errorf("type was masked")
	}
}

func TestMaskSecretsNilSides(t *testing.T) {
	only := secret(map[string]interface{}{"data": map[string]interface{}{"k": "djE="}})
	MaskSecrets(nil, only)
	if got := only.Object["data"]; !reflect.DeepEqual(got, map[string]interface{}{"k": Mask}) {
		t.Errorf("after-only data = %v", got)
	}
	gone := secret(map[string]interface{}{"data": map[string]interface{}{"k": "djE="}})
	MaskSecrets(gone, nil)
	if got := gone.Object["data"]; !reflect.DeepEqual(got, map[string]interface{}{"k": Mask}) {
		t.Errorf("before-only data = %v", got)
	}
	MaskSecrets(nil, nil)
	MaskSecrets(&unstructured.Unstructured{}, &unstructured.Unstructured{})
}

func TestMaskSecretsNonStringValues(t *testing.T) {
	before := secret(map[string]interface{}{
		"data":       map[string]interface{}{"n": int64(1), "m": map[string]interface{}{"x": "y"}, "z": nil},
		"stringData": "not a map",
	})
	after := secret(map[string]interface{}{
		"data":       map[string]interface{}{"n": int64(2), "m": map[string]interface{}{"x": "y"}, "z": nil},
		"stringData": []interface{}{"a", "list"},
	})
	MaskSecrets(before, after)
	if got, want := before.Object["data"], map[string]interface{}{"n": MaskBefore, "m": Mask, "z": Mask}; !reflect.DeepEqual(got, want) {
		t.Errorf("before data = %v, want %v", got, want)
	}
	if got, want := after.Object["data"], map[string]interface{}{"n": MaskAfter, "m": Mask, "z": Mask}; !reflect.DeepEqual(got, want) {
		t.Errorf("after data = %v, want %v", got, want)
	}
	if before.Object["stringData"] != MaskBefore || after.Object["stringData"] != MaskAfter {
		t.Errorf("stringData = %v / %v, want masked as changed", before.Object["stringData"], after.Object["stringData"])
	}
}

func TestMaskSecretsNullFieldStaysNull(t *testing.T) {
	s := secret(map[string]interface{}{"data": nil})
	MaskSecrets(s, nil)
	if v, ok := s.Object["data"]; !ok || v != nil {
		t.Errorf("data = %v, want null", v)
	}
}

func TestMaskSecretsLastApplied(t *testing.T) {
	s := secret(map[string]interface{}{"data": map[string]interface{}{"k": "c2VjcmV0"}})
	s.SetAnnotations(map[string]string{LastAppliedAnnotation: `{"data":{"k":"c2VjcmV0"}}`, "team": "shop"})
	MaskSecrets(nil, s)
	got := s.GetAnnotations()
	if got[LastAppliedAnnotation] != Mask || got["team"] != "shop" {
		t.Errorf("annotations = %v", got)
	}
}

func TestMaskSecretsLeavesOtherKinds(t *testing.T) {
	cm := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "v1", "kind": "ConfigMap",
		"data": map[string]interface{}{"k": "visible"},
	}}
	// A Secret-like kind of another group is not a core Secret.
	other := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "example.com/v1", "kind": "Secret",
		"data": map[string]interface{}{"k": "visible"},
	}}
	MaskSecrets(cm, other)
	if cm.Object["data"].(map[string]interface{})["k"] != "visible" ||
		other.Object["data"].(map[string]interface{})["k"] != "visible" {
		t.Errorf("non-Secret objects were masked")
	}
}

// The whole path a plan takes: normalise, mask, render, diff. No secret
// value and no base64 of it may reach the diff.
func TestMaskedDiffShowsNoSecret(t *testing.T) {
	before := Normalize(secret(map[string]interface{}{"data": map[string]interface{}{"password": "b2xkLXBhc3M="}}))
	after := Normalize(secret(map[string]interface{}{"data": map[string]interface{}{"password": "bmV3LXBhc3M="}}))
	MaskSecrets(before, after)
	b, _ := ToYAML(before)
	a, _ := ToYAML(after)
	d := Unified("Secret/shop/token", b, a, 3)
	for _, leak := range []string{"b2xkLXBhc3M=", "bmV3LXBhc3M="} {
		if strings.Contains(d, leak) {
			t.Errorf("diff leaks %q:\n%s", leak, d)
		}
	}
	if !strings.Contains(d, "-  password: '*** (before)'") || !strings.Contains(d, "+  password: '*** (after)'") {
		t.Errorf("diff does not show the change:\n%s", d)
	}
}
