package codec

import (
	"errors"
	"io"
	"reflect"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FastPath reports whether WriteYAML writes n itself rather than handing it
// to kyaml's encoder, so the equivalence tests can say they compared
// something.
func FastPath(n *yaml.RNode) bool {
	var e emitter
	return plainNode(n.Document()) && e.doc(n.YNode())
}

// ReadsAsNonString is readsAsNonString, for the quoting tests.
var ReadsAsNonString = readsAsNonString

// EncodeBoth encodes v (a pointer to a typed value) by the direct walk and
// through JSON, the walk's reference. unsupported says the walk declined.
func EncodeBoth(v any) (direct, viaJSON *yaml.Node, unsupported bool, err error) {
	var kk keys
	direct, err = kk.typed(reflect.ValueOf(v), infoOf(reflect.TypeOf(v)), "", 0)
	if errors.Is(err, errUnsupported) {
		return nil, nil, true, nil
	}
	if err != nil {
		return nil, nil, false, err
	}
	if direct == nil {
		direct, _ = kk.toNode(map[string]any{})
	}
	viaJSON, err = kk.encodeJSON(v)
	return direct, viaJSON, false, err
}

// Key is the pod spec key (ok false: not keyable).
func Key(v any) (string, bool) {
	b, ok := appendKey(nil, reflect.ValueOf(v), 0)
	return string(b), ok
}

// WriteYAMLCountShared is WriteYAML, also saying how many pod specs it
// copied from an earlier document instead of writing them.
func WriteYAMLCountShared(w io.Writer, nodes []*yaml.RNode) (int, error) {
	var s sharedBytes
	err := writeYAML(w, nodes, &s)
	return int(s.copied.Load()), err
}
