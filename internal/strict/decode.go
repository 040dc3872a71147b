package strict

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// The problems a Decoder reports. The domain reports them under these rule
// ids; the configuration maps them to its own.
const (
	UnknownField    = "UnknownField"
	InvalidType     = "InvalidType"
	DuplicateField  = "DuplicateField"
	InvalidQuantity = "InvalidQuantity"
)

// Report receives one problem: its rule, the field's path, the message
// (it says what to do) and, when the path cannot find the place (the
// second of two equal keys), the node that can; nil otherwise. p is only
// valid during the call (the walk reuses its memory): copy it to keep it.
type Report func(rule string, p Path, msg string, at *yaml.Node)

// Decoder walks a YAML node against a schema. It reports every field the
// schema does not allow and every value of the wrong kind, and returns the
// part of the tree that is valid as plain Go values (map[string]any, []any,
// string, int64, bool), ready for encoding/json into the typed structs.
// Invalid parts are left out, so decoding the rest cannot fail.
type Decoder struct {
	// Owner is who defines the fields, for "Kuma has no field "x" here".
	Owner  string
	Report Report
}

func (d Decoder) add(rule string, p Path, format string, args ...any) {
	d.Report(rule, p, fmt.Sprintf(format, args...), nil)
}

// Walk returns the cleaned value of n, or nil when n is null or invalid.
// p is the path of n.
func (d Decoder) Walk(n *yaml.Node, sc *Schema, p Path) any {
	// Room for the deepest path below, so that push never allocates.
	return d.walk(n, sc, append(make(Path, 0, len(p)+maxDepth), p...))
}

// maxDepth is more than the nesting of any schema here (a pod template's
// container's security context is 7 deep); deeper paths still work.
const maxDepth = 16

func (d Decoder) walk(n *yaml.Node, sc *Schema, p Path) any {
	n = source.Deref(n)
	if n == nil || IsNull(n) {
		return nil
	}
	switch sc.Shape {
	case ShapeObject:
		return d.object(n, sc, p)
	case ShapeMap:
		return d.mapping(n, sc, p)
	case ShapeList:
		return d.list(n, sc, p)
	case ShapeOpaque:
		return nil
	default:
		return d.scalar(n, sc, p)
	}
}

// push is p one step deeper for the walk below it. Unlike Key it may
// write into p's spare capacity: siblings reuse the slot one after the
// other, so a walk allocates a path per depth, not per field.
func (p Path) push(step string) Path { return append(p, step) }

// indexSteps are the steps of the first list items, made once.
var indexSteps = func() []string {
	out := make([]string, 64)
	for i := range out {
		out[i] = "[" + strconv.Itoa(i) + "]"
	}
	return out
}()

func indexStep(i int) string {
	if i < len(indexSteps) {
		return indexSteps[i]
	}
	return "[" + strconv.Itoa(i) + "]"
}

// IsNull reports whether n is YAML's null.
func IsNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func (d Decoder) object(n *yaml.Node, sc *Schema, p Path) any {
	if !d.expect(n, yaml.MappingNode, "a map of fields", p) {
		return nil
	}
	out := map[string]any{}
	d.pairs(n, p, func(k string, v *yaml.Node) {
		fs, ok := sc.Fields[k]
		if !ok {
			d.add(UnknownField, p.Key(k), "%s has no field %q here%s; remove it", d.Owner, k, knownFields(sc))
			return
		}
		name := k
		if fs.Rename != "" {
			name = fs.Rename
		}
		if val := d.walk(v, fs, p.push(k)); val != nil {
			out[name] = val
		}
	})
	return out
}

func (d Decoder) mapping(n *yaml.Node, sc *Schema, p Path) any {
	if !d.expect(n, yaml.MappingNode, "a map", p) {
		return nil
	}
	out := map[string]any{}
	d.pairs(n, p, func(k string, v *yaml.Node) {
		if IsNull(source.Deref(v)) {
			d.add(InvalidType, p.Key(k), "must not be null; give it a value or remove the key")
			return
		}
		if val := d.walk(v, sc.Elem, p.push(k)); val != nil {
			out[k] = val
		}
	})
	return out
}

// pairs calls f for each key of a mapping once, reporting repeated and
// non-string keys instead.
func (d Decoder) pairs(n *yaml.Node, p Path, f func(string, *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := source.Deref(n.Content[i])
		if kn == nil || kn.Kind != yaml.ScalarNode {
			d.add(InvalidType, p, "has a key that is not a plain string; use string keys only")
			continue
		}
		k := kn.Value
		if seen[k] {
			d.Report(DuplicateField, p.Key(k), "is set more than once; keep one", kn)
			continue
		}
		seen[k] = true
		f(k, n.Content[i+1])
	}
}

func (d Decoder) list(n *yaml.Node, sc *Schema, p Path) any {
	if !d.expect(n, yaml.SequenceNode, "a list", p) {
		return nil
	}
	out := []any{}
	for i, item := range n.Content {
		if v := source.Deref(item); v == nil || IsNull(v) {
			d.add(InvalidType, p.Index(i), "is null; remove the empty item")
			continue
		}
		// Keep the slot even when the item is invalid, so later indexes in
		// findings still match the file.
		val := d.walk(item, sc.Elem, p.push(indexStep(i)))
		if val == nil {
			val = map[string]any{}
			if sc.Elem.Shape != ShapeObject {
				continue
			}
		}
		out = append(out, val)
	}
	return out
}

func (d Decoder) expect(n *yaml.Node, kind yaml.Kind, what string, p Path) bool {
	if n.Kind == kind {
		return true
	}
	d.add(InvalidType, p, "must be %s, not %s", what, Describe(n))
	return false
}

func (d Decoder) scalar(n *yaml.Node, sc *Schema, p Path) any {
	if n.Kind != yaml.ScalarNode {
		d.add(InvalidType, p, "must be a single value, not %s", Describe(n))
		return nil
	}
	tag := n.ShortTag()
	switch sc.Shape {
	case ShapeString:
		// YAML reads 2024-01-01 as a timestamp; the API server keeps it as text.
		if tag == "!!str" || tag == "!!timestamp" {
			return n.Value
		}
		d.add(InvalidType, p, "must be a string, not %s; put the value in quotes", Describe(n))
	case ShapeBool:
		if b, err := strconv.ParseBool(n.Value); tag == "!!bool" && err == nil {
			return b
		}
		d.add(InvalidType, p, "must be true or false, not %s", Describe(n))
	case ShapeInt:
		return d.integer(n, sc, p)
	case ShapeQuantity:
		if _, err := resource.ParseQuantity(n.Value); err != nil || (tag != "!!str" && tag != "!!int" && tag != "!!float") {
			d.add(InvalidQuantity, p, "%q is not a quantity; write it like 500m, 1, 64Mi or 1G", n.Value)
			return nil
		}
		return n.Value
	}
	return nil
}

func (d Decoder) integer(n *yaml.Node, sc *Schema, p Path) any {
	if n.ShortTag() != "!!int" {
		d.add(InvalidType, p, "must be a whole number, not %s", Describe(n))
		return nil
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v < sc.Min || v > sc.Max {
		d.add(InvalidType, p, "%s is out of range; use a number from %d to %d", n.Value, sc.Min, sc.Max)
		return nil
	}
	return v
}

// Describe names a node's kind for messages: "a list", "the number 5".
func Describe(n *yaml.Node) string {
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
func knownFields(sc *Schema) string {
	var names []string
	for k, f := range sc.Fields {
		if f.Rename == "" {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return " (it takes no fields)"
	}
	slices.Sort(names)
	return " (allowed: " + strings.Join(names, ", ") + ")"
}
