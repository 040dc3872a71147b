package strict

import (
	"fmt"
	"reflect"
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
// schema does not allow and every value of the wrong kind, and stores the
// part of the tree that is valid: into typed Go values (Decode) or as plain
// values (Walk). Invalid parts are left out, so storing the rest cannot
// fail.
type Decoder struct {
	// Owner is who defines the fields, for "Kuma has no field "x" here".
	Owner  string
	Report Report
}

func (d Decoder) add(rule string, p Path, format string, args ...any) {
	d.Report(rule, p, fmt.Sprintf(format, args...), nil)
}

// Walk returns the cleaned value of n as plain Go values (map[string]any,
// []any, string, int64, bool), or nil when n is null or invalid. p is the
// path of n.
func (d Decoder) Walk(n *yaml.Node, sc *Schema, p Path) any {
	var out any
	d.Decode(n, sc, p, &out)
	return out
}

// Decode walks n as Walk does and stores the valid part in *into: into an
// any, Walk's tree; into a typed value (a struct whose fields have json
// names, as Of derives schemas from), what encoding/json would make of that
// tree, without the round trip through JSON: fields by their json names,
// maps and pointers allocated when a value is stored, values decoded into
// what a pointer already points at, json.Unmarshaler types (a Quantity) by
// their UnmarshalJSON. A field the schema knows and the Go type does not
// is checked and dropped. It reports whether a value was stored (Walk's
// result would not be nil). into must be a non-nil pointer.
func (d Decoder) Decode(n *yaml.Node, sc *Schema, p Path, into any) bool {
	// Room for the deepest path below, so that push never allocates.
	return d.walk(n, sc, append(make(Path, 0, len(p)+maxDepth), p...), reflect.ValueOf(into).Elem())
}

// maxDepth is more than the nesting of any schema here (a pod template's
// container's security context is 7 deep); deeper paths still work.
const maxDepth = 16

// walk stores n into v. v is settable, or the zero Value when the value is
// only checked.
func (d Decoder) walk(n *yaml.Node, sc *Schema, p Path, v reflect.Value) bool {
	n = source.Deref(n)
	if n == nil || IsNull(n) || sc.Shape == ShapeOpaque {
		return false
	}
	if v.Kind() == reflect.Pointer {
		if !v.IsNil() {
			return d.walk(n, sc, p, v.Elem())
		}
		fresh := reflect.New(v.Type().Elem())
		if !d.walk(n, sc, p, fresh.Elem()) {
			return false
		}
		v.Set(fresh)
		return true
	}
	switch sc.Shape {
	case ShapeObject:
		return d.object(n, sc, p, v)
	case ShapeMap:
		return d.mapping(n, sc, p, v)
	case ShapeList:
		return d.list(n, sc, p, v)
	default:
		return d.scalar(n, sc, p, v)
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

func (d Decoder) object(n *yaml.Node, sc *Schema, p Path, v reflect.Value) bool {
	if !d.expect(n, yaml.MappingNode, "a map of fields", p) {
		return false
	}
	var fields map[string]int
	var tree map[string]any
	switch {
	case !v.IsValid():
	case v.Kind() == reflect.Struct:
		fields = fieldsOf(v.Type())
	case isAny(v):
		tree = map[string]any{}
	default:
		d.mismatch(p, "a map of fields", v)
		v = reflect.Value{}
	}
	d.pairs(n, p, func(k string, val *yaml.Node) {
		fs, ok := sc.Fields[k]
		if !ok {
			d.add(UnknownField, p.Key(k), "%s has no field %q here%s; remove it", d.Owner, k, knownFields(sc))
			return
		}
		name := k
		if fs.Rename != "" {
			name = fs.Rename
		}
		switch {
		case tree != nil:
			var out any
			if d.walk(val, fs, p.push(k), reflect.ValueOf(&out).Elem()) {
				tree[name] = out
			}
		case fields != nil:
			field := reflect.Value{}
			if i, ok := fields[name]; ok {
				field = v.Field(i)
			}
			d.walk(val, fs, p.push(k), field)
		default:
			d.walk(val, fs, p.push(k), reflect.Value{})
		}
	})
	if tree != nil {
		v.Set(reflect.ValueOf(tree))
	}
	return true
}

func (d Decoder) mapping(n *yaml.Node, sc *Schema, p Path, v reflect.Value) bool {
	if !d.expect(n, yaml.MappingNode, "a map", p) {
		return false
	}
	var tree map[string]any
	var strs map[string]string // the common map[string]string, without reflection
	switch {
	case !v.IsValid():
	case isAny(v):
		tree = map[string]any{}
		v.Set(reflect.ValueOf(tree))
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String:
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(v.Type(), len(n.Content)/2))
		}
		if v.Type() == stringMapType && sc.Elem.Shape == ShapeString {
			strs = v.Interface().(map[string]string)
		}
	default:
		d.mismatch(p, "a map", v)
		v = reflect.Value{}
	}
	d.pairs(n, p, func(k string, val *yaml.Node) {
		if IsNull(source.Deref(val)) {
			d.add(InvalidType, p.Key(k), "must not be null; give it a value or remove the key")
			return
		}
		switch {
		case tree != nil:
			var out any
			if d.walk(val, sc.Elem, p.push(k), reflect.ValueOf(&out).Elem()) {
				tree[k] = out
			}
		case strs != nil:
			if s, ok := d.str(source.Deref(val), p.push(k)); ok {
				strs[k] = s
			}
		case v.IsValid():
			elem := reflect.New(v.Type().Elem()).Elem()
			if d.walk(val, sc.Elem, p.push(k), elem) {
				v.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), elem)
			}
		default:
			d.walk(val, sc.Elem, p.push(k), reflect.Value{})
		}
	})
	return true
}

var stringMapType = reflect.TypeFor[map[string]string]()

// Field is the value of key in the map n as Decode reads it: the first of
// the string keys (aliases followed) equal to key; nil when n is not a
// map or has no such key.
func Field(n *yaml.Node, key string) *yaml.Node {
	n = source.Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if kn := source.Deref(n.Content[i]); kn != nil && kn.Kind == yaml.ScalarNode && kn.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// pairs calls f for each key of a mapping once, reporting repeated and
// non-string keys instead.
func (d Decoder) pairs(n *yaml.Node, p Path, f func(string, *yaml.Node)) {
	var seen map[string]bool // for large maps; small ones look back instead
	if len(n.Content) > 2*smallMap {
		seen = make(map[string]bool, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := source.Deref(n.Content[i])
		if kn == nil || kn.Kind != yaml.ScalarNode {
			d.add(InvalidType, p, "has a key that is not a plain string; use string keys only")
			continue
		}
		k := kn.Value
		if seen != nil && seen[k] || seen == nil && keyBefore(n.Content[:i], k) {
			d.Report(DuplicateField, p.Key(k), "is set more than once; keep one", kn)
			continue
		}
		if seen != nil {
			seen[k] = true
		}
		f(k, n.Content[i+1])
	}
}

// smallMap is the most pairs a mapping may have for pairs to find
// repeated keys by looking back rather than with a map: most mappings
// have a handful, and a map for each was a tenth of decoding's allocations.
const smallMap = 16

// keyBefore reports whether one of the pairs in content has the string
// key k.
func keyBefore(content []*yaml.Node, k string) bool {
	for i := 0; i+1 < len(content); i += 2 {
		if kn := source.Deref(content[i]); kn != nil && kn.Kind == yaml.ScalarNode && kn.Value == k {
			return true
		}
	}
	return false
}

func (d Decoder) list(n *yaml.Node, sc *Schema, p Path, v reflect.Value) bool {
	if !d.expect(n, yaml.SequenceNode, "a list", p) {
		return false
	}
	var tree []any
	var items reflect.Value // the slice being filled, items[:kept] so far
	switch {
	case !v.IsValid():
	case isAny(v):
		tree = []any{}
	case v.Kind() == reflect.Slice:
		items = reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	default:
		d.mismatch(p, "a list", v)
		v = reflect.Value{}
	}
	kept := 0
	for i, item := range n.Content {
		if v := source.Deref(item); v == nil || IsNull(v) {
			d.add(InvalidType, p.Index(i), "is null; remove the empty item")
			continue
		}
		// Keep the slot even when the item is invalid, so later indexes in
		// findings still match the file.
		keep := sc.Elem.Shape == ShapeObject
		switch {
		case tree != nil:
			var out any
			if d.walk(item, sc.Elem, p.push(indexStep(i)), reflect.ValueOf(&out).Elem()) {
				tree, keep = append(tree, out), false
			} else if keep {
				tree = append(tree, map[string]any{})
			}
		case items.IsValid():
			slot := items.Index(kept)
			if d.walk(item, sc.Elem, p.push(indexStep(i)), slot) {
				keep = true
			} else if keep && slot.Kind() == reflect.Pointer {
				slot.Set(reflect.New(slot.Type().Elem())) // as encoding/json decodes {}
			}
			if keep {
				kept++
			}
		default:
			d.walk(item, sc.Elem, p.push(indexStep(i)), reflect.Value{})
		}
	}
	switch {
	case tree != nil:
		v.Set(reflect.ValueOf(tree))
	case items.IsValid():
		v.Set(items.Slice(0, kept))
	}
	return true
}

func (d Decoder) expect(n *yaml.Node, kind yaml.Kind, what string, p Path) bool {
	if n.Kind == kind {
		return true
	}
	d.add(InvalidType, p, "must be %s, not %s", what, Describe(n))
	return false
}

func (d Decoder) scalar(n *yaml.Node, sc *Schema, p Path, v reflect.Value) bool {
	if n.Kind != yaml.ScalarNode {
		d.add(InvalidType, p, "must be a single value, not %s", Describe(n))
		return false
	}
	tag := n.ShortTag()
	switch sc.Shape {
	case ShapeString:
		s, ok := d.str(n, p)
		if ok {
			d.storeString(p, v, s)
		}
		return ok
	case ShapeBool:
		if b, err := strconv.ParseBool(n.Value); tag == "!!bool" && err == nil {
			d.storeBool(p, v, b)
			return true
		}
		d.add(InvalidType, p, "must be true or false, not %s", Describe(n))
	case ShapeInt:
		i, ok := d.integer(n, sc, p)
		if ok {
			d.storeInt(p, v, i)
		}
		return ok
	case ShapeQuantity:
		if _, err := resource.ParseQuantity(n.Value); err != nil || (tag != "!!str" && tag != "!!int" && tag != "!!float") {
			d.add(InvalidQuantity, p, "%q is not a quantity; write it like 500m, 1, 64Mi or 1G", n.Value)
			return false
		}
		d.storeString(p, v, n.Value)
		return true
	}
	return false
}

// str is the value of a string scalar n (YAML reads 2024-01-01 as a
// timestamp; the API server keeps it as text), reporting any other.
func (d Decoder) str(n *yaml.Node, p Path) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.add(InvalidType, p, "must be a single value, not %s", Describe(n))
		return "", false
	}
	if tag := n.ShortTag(); tag == "!!str" || tag == "!!timestamp" {
		return n.Value, true
	}
	d.add(InvalidType, p, "must be a string, not %s; put the value in quotes", Describe(n))
	return "", false
}

func (d Decoder) integer(n *yaml.Node, sc *Schema, p Path) (int64, bool) {
	if n.ShortTag() != "!!int" {
		d.add(InvalidType, p, "must be a whole number, not %s", Describe(n))
		return 0, false
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v < sc.Min || v > sc.Max {
		d.add(InvalidType, p, "%s is out of range; use a number from %d to %d", n.Value, sc.Min, sc.Max)
		return 0, false
	}
	return v, true
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
