package codec

import "sigs.k8s.io/kustomize/kyaml/yaml"

// FastPath reports whether WriteYAML writes n itself rather than handing it
// to kyaml's encoder, so the equivalence tests can say they compared
// something.
func FastPath(n *yaml.RNode) bool {
	var e emitter
	return plainNode(n.Document()) && e.doc(n.YNode())
}

// ReadsAsNonString is readsAsNonString, for the quoting tests.
var ReadsAsNonString = readsAsNonString
