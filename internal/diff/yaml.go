package diff

import (
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	yaml "sigs.k8s.io/yaml/goyaml.v2"
)

// ToYAML renders obj as YAML with map keys sorted, so the same object always
// gives the same text and two objects diff line by line. A nil obj (the live
// side of a create, the desired side of a delete) gives "".
func ToYAML(obj *unstructured.Unstructured) (out string, err error) {
	if obj == nil || obj.Object == nil {
		return "", nil
	}
	defer func() {
		// yaml.v2 panics on values JSON has no type for; an object from
		// the API server never holds one, but no input may crash the tool.
		if r := recover(); r != nil {
			out, err = "", fmt.Errorf("%s: render as YAML for the diff: %v (the object holds a value YAML cannot express)", describe(obj), r)
		}
	}()
	// yaml.v2 on the map directly: the same text as sigs.k8s.io/yaml's
	// JSON round trip (unstructured values are already JSON's types), at a
	// third of the cost, which plan pays twice per object.
	b, err := yaml.Marshal(obj.Object)
	if err != nil {
		return "", fmt.Errorf("%s: render as YAML for the diff: %w (the object holds a value YAML cannot express)", describe(obj), err)
	}
	return string(b), nil
}

// describe names obj as Kind/namespace/name (Kind/name when cluster-scoped)
// for error messages.
func describe(obj *unstructured.Unstructured) string {
	kind := obj.GetKind()
	if kind == "" {
		kind = "object"
	}
	return object.Ref{Kind: kind, Namespace: obj.GetNamespace(), Name: obj.GetName()}.String()
}
