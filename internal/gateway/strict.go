package gateway

import (
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// strict walks a YAML node against a schema. It reports every field the
// schema does not allow and every value of the wrong kind, and returns the
// part of the tree that is valid as plain Go values (map[string]any, []any,
// string, int64, bool), ready for encoding/json into the typed structs.
// Invalid parts are left out, so decoding the rest cannot fail.
type strict struct {
	r *reporter
}

// walk returns the cleaned value of n, or nil when n is null or invalid.
func (s strict) walk(n *yaml.Node, sc *schema, p path) any {
	n = deref(n)
	if n == nil || isNull(n) {
		return nil
	}
	switch sc.shape {
	case shapeObject:
		return s.object(n, sc, p)
	case shapeMap:
		return s.mapping(n, sc, p)
	case shapeList:
		return s.list(n, sc, p)
	case shapeOpaque:
		return nil
	default:
		return s.scalar(n, sc, p)
	}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func (s strict) object(n *yaml.Node, sc *schema, p path) any {
	if !s.expect(n, yaml.MappingNode, "a map of fields", p) {
		return nil
	}
	out := map[string]any{}
	s.pairs(n, p, func(k string, v *yaml.Node) {
		fs, ok := sc.fields[k]
		if !ok {
			s.r.add(UnknownField, p.key(k), "Kuma has no field %q here%s; remove it", k, knownFields(sc))
			return
		}
		name := k
		if fs.rename != "" {
			name = fs.rename
		}
		if val := s.walk(v, fs, p.key(k)); val != nil {
			out[name] = val
		}
	})
	return out
}

func (s strict) mapping(n *yaml.Node, sc *schema, p path) any {
	if !s.expect(n, yaml.MappingNode, "a map", p) {
		return nil
	}
	out := map[string]any{}
	s.pairs(n, p, func(k string, v *yaml.Node) {
		if isNull(deref(v)) {
			s.r.add(InvalidType, p.key(k), "must not be null; give it a value or remove the key")
			return
		}
		if val := s.walk(v, sc.elem, p.key(k)); val != nil {
			out[k] = val
		}
	})
	return out
}

// pairs calls f for each key of a mapping once, reporting repeated and
// non-string keys instead.
func (s strict) pairs(n *yaml.Node, p path, f func(string, *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := deref(n.Content[i])
		if kn == nil || kn.Kind != yaml.ScalarNode {
			s.r.add(InvalidType, p, "has a key that is not a plain string; use string keys only")
			continue
		}
		k := kn.Value
		if seen[k] {
			s.r.addAt(kn, DuplicateField, p.key(k), "is set more than once; keep one")
			continue
		}
		seen[k] = true
		f(k, n.Content[i+1])
	}
}

func (s strict) list(n *yaml.Node, sc *schema, p path) any {
	if !s.expect(n, yaml.SequenceNode, "a list", p) {
		return nil
	}
	out := []any{}
	for i, item := range n.Content {
		if d := deref(item); d == nil || isNull(d) {
			s.r.add(InvalidType, p.index(i), "is null; remove the empty item")
			continue
		}
		// Keep the slot even when the item is invalid, so later indexes in
		// findings still match the file.
		val := s.walk(item, sc.elem, p.index(i))
		if val == nil {
			val = map[string]any{}
			if sc.elem.shape != shapeObject {
				continue
			}
		}
		out = append(out, val)
	}
	return out
}

func (s strict) expect(n *yaml.Node, kind yaml.Kind, what string, p path) bool {
	if n.Kind == kind {
		return true
	}
	s.r.add(InvalidType, p, "must be %s, not %s", what, describe(n))
	return false
}

func (s strict) scalar(n *yaml.Node, sc *schema, p path) any {
	if n.Kind != yaml.ScalarNode {
		s.r.add(InvalidType, p, "must be a single value, not %s", describe(n))
		return nil
	}
	tag := n.ShortTag()
	switch sc.shape {
	case shapeString:
		// YAML reads 2024-01-01 as a timestamp; the API server keeps it as text.
		if tag == "!!str" || tag == "!!timestamp" {
			return n.Value
		}
		s.r.add(InvalidType, p, "must be a string, not %s; put the value in quotes", describe(n))
	case shapeBool:
		if b, err := strconv.ParseBool(n.Value); tag == "!!bool" && err == nil {
			return b
		}
		s.r.add(InvalidType, p, "must be true or false, not %s", describe(n))
	case shapeInt:
		return s.integer(n, sc, p)
	case shapeQuantity:
		if _, err := resource.ParseQuantity(n.Value); err != nil || (tag != "!!str" && tag != "!!int" && tag != "!!float") {
			s.r.add(InvalidQuantity, p, "%q is not a quantity; write it like 500m, 1, 64Mi or 1G", n.Value)
			return nil
		}
		return n.Value
	}
	return nil
}

func (s strict) integer(n *yaml.Node, sc *schema, p path) any {
	if n.ShortTag() != "!!int" {
		s.r.add(InvalidType, p, "must be a whole number, not %s", describe(n))
		return nil
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v < sc.min || v > sc.max {
		s.r.add(InvalidType, p, "%s is out of range; use a number from %d to %d", n.Value, sc.min, sc.max)
		return nil
	}
	return v
}

// describe names a node's kind for messages: "a list", "the number 5".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "null"
	default:
		return strconv.Quote(n.Value)
	}
}

// knownFields lists the allowed fields for an unknown-field message.
func knownFields(sc *schema) string {
	var names []string
	for k, f := range sc.fields {
		if f.rename == "" {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return " (it takes no fields)"
	}
	slices.Sort(names)
	return " (allowed: " + strings.Join(names, ", ") + ")"
}
