package source

import (
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Ref names the object held by rn.
func Ref(rn *yaml.RNode) object.Ref {
	if rn == nil {
		return object.Ref{}
	}
	// Read the fields by hand: kyaml's metadata getters panic on malformed
	// metadata (a list, say), and Ref is called on any user input. One
	// pass over the object and one over its metadata, taking the first of
	// each key as Step does: Ref runs for every object in several steps.
	var top [3]*yaml.Node
	firstValues(Deref(rn.YNode()), refTopKeys, top[:])
	var meta [2]*yaml.Node
	firstValues(Deref(top[2]), refMetaKeys, meta[:])
	return object.New(scalarText(top[0]), scalarText(top[1]), scalarText(meta[0]), scalarText(meta[1]))
}

var (
	refTopKeys  = []string{"apiVersion", "kind", "metadata"}
	refMetaKeys = []string{"namespace", "name"}
)

// firstValues sets vals[i] to the value of the first key keys[i] of the
// mapping m, or leaves it nil (m not a mapping, or the key absent). One pass,
// no allocation: vals is the caller's.
func firstValues(m *yaml.Node, keys []string, vals []*yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	left := len(keys)
	for i := 0; i+1 < len(m.Content) && left > 0; i += 2 {
		for k, key := range keys {
			if vals[k] == nil && m.Content[i].Value == key {
				vals[k] = m.Content[i+1]
				left--
				break
			}
		}
	}
}

// scalarText is the text of a scalar node, "" for any other.
func scalarText(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Position is where the object held by rn starts: its file (from the kio
// path annotation), its document index and its first line.
func Position(rn *yaml.RNode) finding.Position {
	if rn == nil {
		return finding.Position{}
	}
	p := finding.Position{}
	p.File, p.Index = pathAndIndex(rn)
	n := rn.YNode()
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Line > 0 {
		p.Line = n.Line
		p.Column = 1
	}
	return p
}

// FieldPosition is where the field at path (dotted, with [i] for list items:
// "spec.conf.listeners[0].port") stands in the object's file. When the field
// is absent it points at the nearest parent that exists, so a message about a
// missing field lands on the map that should hold it.
func FieldPosition(rn *yaml.RNode, path string) finding.Position {
	p := Position(rn)
	if rn == nil || path == "" {
		return p
	}
	if l, c := fieldLine(rn, path); l > 0 {
		p.Line, p.Column = l, c
	}
	return p
}

// fieldLine finds the line and column of the key (or list item) that holds
// the field at path, or of its nearest existing parent.
func fieldLine(rn *yaml.RNode, path string) (int, int) {
	at, _ := Walk(rn.YNode(), splitPath(path))
	return at.Line, at.Column
}

// pathAndIndex reads the reader's annotations, new form first, as
// kioutil.GetFileAnnotations does. It does not call that function: it
// decodes the whole metadata to read two annotations, and positions are
// read for every generated object (+6% allocations on render).
func pathAndIndex(rn *yaml.RNode) (string, int) {
	file, ok := Annotation(rn, kioutil.PathAnnotation)
	if !ok {
		//lint:ignore SA1019 objects written by older kyaml carry only the legacy form
		file, _ = Annotation(rn, kioutil.LegacyPathAnnotation)
	}
	idx, ok := Annotation(rn, kioutil.IndexAnnotation)
	if !ok {
		//lint:ignore SA1019 as above
		idx, _ = Annotation(rn, kioutil.LegacyIndexAnnotation)
	}
	i, _ := strconv.Atoi(idx)
	return file, i
}

// TypeOf is rn's apiVersion and kind, read as kyaml's GetApiVersion and
// GetKind read them (the text of the first key of that name) without the
// allocations of their visitor: it runs several times for every object.
func TypeOf(rn *yaml.RNode) (apiVersion, kind string) {
	y := rn.YNode()
	return valueText(firstValue(y, "apiVersion")), valueText(firstValue(y, "kind"))
}

// valueText is n's Value, "" for nil.
func valueText(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// Annotation is the annotation key of rn and whether it is set, read as
// kyaml's GetAnnotations reads it (the first metadata key, its first
// annotations key, the last entry of that name) without building the map
// of all of them.
func Annotation(rn *yaml.RNode, key string) (string, bool) {
	ann := firstValue(firstValue(rn.YNode(), "metadata"), "annotations")
	if ann == nil {
		return "", false
	}
	value, ok := "", false
	for i := 0; i+1 < len(ann.Content); i += 2 {
		if ann.Content[i].Value == key {
			value, ok = ann.Content[i+1].Value, true
		}
	}
	return value, ok
}

// firstValue is the value of the first key called name among n's pairs,
// as kyaml's field visitor finds it, or nil.
func firstValue(n *yaml.Node, name string) *yaml.Node {
	if n == nil {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i] != nil && n.Content[i].Value == name {
			return n.Content[i+1]
		}
	}
	return nil
}

// splitPath turns "a.b[2].c" into ["a", "b", "[2]", "c"].
func splitPath(path string) []string {
	var out []string
	for _, part := range strings.Split(path, ".") {
		for part != "" {
			i := strings.IndexByte(part, '[')
			switch {
			case i < 0:
				out = append(out, part)
				part = ""
			case i > 0:
				out = append(out, part[:i])
				part = part[i:]
			default:
				j := strings.IndexByte(part, ']')
				if j < 0 {
					out = append(out, part)
					part = ""
					continue
				}
				out = append(out, part[:j+1])
				part = part[j+1:]
			}
		}
	}
	return out
}
