package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Encode turns a typed object into an RNode with apiVersion and kind set and
// without the empty values typed marshalling adds (creationTimestamp: null,
// status: {}, strategy: {}, resources: {}). Keys come out sorted, so the
// output is the same on every run.
func Encode(obj runtime.Object) (*yaml.RNode, error) {
	if obj == nil {
		return nil, fmt.Errorf("encode: no object given")
	}
	apiVersion, kind := typeOf(obj)
	if kind == "" {
		return nil, fmt.Errorf("encode %T: kind unknown; set its TypeMeta (apiVersion and kind)", obj)
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	m["apiVersion"], m["kind"] = apiVersion, kind
	pruned, _ := prune(m, "").(map[string]any)
	n, err := toNode(pruned)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	return yaml.NewRNode(n), nil
}

// typeOf prefers the object's own TypeMeta and knows the two kinds this
// package builds.
func typeOf(obj runtime.Object) (string, string) {
	if gvk := obj.GetObjectKind().GroupVersionKind(); gvk.Kind != "" {
		return gvk.GroupVersion().String(), gvk.Kind
	}
	switch obj.(type) {
	case *appsv1.Deployment:
		return "apps/v1", "Deployment"
	case *corev1.Service:
		return "v1", "Service"
	}
	return "", ""
}

// keepEmpty are keys whose empty map means something: emptyDir: {} is a
// volume source, not noise.
var keepEmpty = map[string]bool{"emptyDir": true}

// prune drops nulls and empty maps and lists, bottom up, and turns JSON
// numbers into int64 (or float64) so YAML writes 5678, not 5.678e+03.
func prune(v any, key string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		// A zero divisor is the Quantity zero value, not a choice.
		if d, ok := x["divisor"].(string); ok && key == "resourceFieldRef" && d == "0" {
			delete(x, "divisor")
		}
		for k, e := range x {
			if p := prune(e, k); p == nil {
				delete(x, k)
			} else {
				x[k] = p
			}
		}
		if len(x) == 0 && !keepEmpty[key] {
			return nil
		}
		return x
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if p := prune(e, ""); p != nil {
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	default:
		return v
	}
}
