package source

import (
	"strconv"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Step follows one step of a field path from n: a map key, or "[i]" for a
// list item. n may be a document or an alias; they are followed first. It
// returns the node that names the step (the key, or the item itself) and
// the value, or nil, nil when the step does not exist. Step and Walk are
// the one field-path walker: findings of the reader, the config and the
// domain all point at fields through them.
func Step(n *yaml.Node, step string) (key, value *yaml.Node) {
	n = Deref(n)
	if n == nil {
		return nil, nil
	}
	if i, ok := index(step); ok {
		if n.Kind != yaml.SequenceNode || i >= len(n.Content) {
			return nil, nil
		}
		return n.Content[i], n.Content[i]
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == step {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// Walk follows steps from n as far as they exist and returns the key and
// value of the last step that exists (n for both when the first does not),
// so that a message about a missing field lands on its nearest parent.
func Walk(n *yaml.Node, steps []string) (key, value *yaml.Node) {
	key, value = n, n
	for _, s := range steps {
		k, v := Step(value, s)
		if v == nil {
			break
		}
		key, value = k, v
	}
	return key, value
}

// Deref unwraps document nodes and aliases (bounded, in case of a cycle).
func Deref(n *yaml.Node) *yaml.Node {
	for range 16 {
		switch {
		case n == nil:
			return nil
		case n.Kind == yaml.DocumentNode && len(n.Content) > 0:
			n = n.Content[0]
		case n.Kind == yaml.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return n
}

// index reads a "[i]" step.
func index(step string) (int, bool) {
	if len(step) < 3 || step[0] != '[' || step[len(step)-1] != ']' {
		return 0, false
	}
	i, err := strconv.Atoi(step[1 : len(step)-1])
	return i, err == nil && i >= 0
}
