package diff

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// ToYAML renders obj as YAML with map keys sorted, so the same object always
// gives the same text and two objects diff line by line. A nil obj (the live
// side of a create, the desired side of a delete) gives "".
func ToYAML(obj *unstructured.Unstructured) (string, error) {
	if obj == nil || obj.Object == nil {
		return "", nil
	}
	b, err := yaml.Marshal(obj.Object)
	if err != nil {
		return "", fmt.Errorf("%s: render as YAML for the diff: %w (the object holds a value YAML cannot express)", describe(obj), err)
	}
	return string(b), nil
}

// describe names obj as Kind/namespace/name (Kind/name when cluster-scoped)
// for error messages.
func describe(obj *unstructured.Unstructured) string {
	kind, name, ns := obj.GetKind(), obj.GetName(), obj.GetNamespace()
	if kind == "" {
		kind = "object"
	}
	if ns == "" {
		return kind + "/" + name
	}
	return kind + "/" + ns + "/" + name
}
