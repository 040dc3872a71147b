package shape

import (
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The checks read the YAML nodes directly: converting every generated
// object to a map would cost more than the rest of render.

func at(n *yaml.Node, dotted string) *yaml.Node {
	for _, step := range strings.Split(dotted, ".") {
		if _, n = source.Step(n, step); n == nil {
			return nil
		}
	}
	return n
}

func scalar(n *yaml.Node, key string) string {
	_, v := source.Step(n, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// stringMap is the map of scalars at key (other entries are reported by
// the reader's own checks).
func stringMap(n *yaml.Node, key string) map[string]string {
	_, m := source.Step(n, key)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make(map[string]string, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i+1].Kind == yaml.ScalarNode {
			out[m.Content[i].Value] = m.Content[i+1].Value
		}
	}
	return out
}

// publicAnnotations is stringMap(meta, "annotations") without the
// reader-internal annotations, nil when nothing else is there.
func publicAnnotations(meta *yaml.Node) map[string]string {
	_, m := source.Step(meta, "annotations")
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out map[string]string
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || strings.HasPrefix(k.Value, internalPrefix) {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(m.Content)/2)
		}
		out[k.Value] = v.Value
	}
	return out
}

// approxSize is about the object's size as JSON: its scalars plus a few
// bytes of punctuation per node. Aliases count once per use, as they are
// sent, up to a bound that is already too large.
func approxSize(n *yaml.Node) int {
	return approxSizeWith(n, nil, 0)
}

// approxSizeWith is approxSize, counting the subtree known as knownSize.
func approxSizeWith(n, known *yaml.Node, knownSize int) int {
	total := 0
	var walk func(*yaml.Node, int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || total > MaxObjectSize || depth > 1000 {
			return
		}
		if n == known {
			total += knownSize
			return
		}
		total += len(n.Value) + 4
		for _, c := range n.Content {
			walk(c, depth+1)
		}
		if n.Kind == yaml.AliasNode {
			walk(n.Alias, depth+1)
		}
	}
	walk(n, 0)
	return total
}
