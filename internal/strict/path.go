package strict

import (
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// Path is a field path as segments: map keys, or "[i]" for list items. It
// is kept as segments, not a string, because tag and annotation keys
// contain dots ("kuma.io/service") that a dotted string cannot tell apart.
type Path []string

// Key returns a new path one map key deeper; p itself is never modified.
func (p Path) Key(k string) Path {
	return append(append(Path{}, p...), k)
}

// Index returns a new path one list item deeper.
func (p Path) Index(i int) Path {
	return append(append(Path{}, p...), "["+strconv.Itoa(i)+"]")
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// String renders spec.conf.listeners[0].port, quoting keys that are not
// plain words: metadata.annotations["kuma.io/envoy-admin-port"].
func (p Path) String() string {
	var b strings.Builder
	for _, s := range p {
		switch {
		case isIndex(s):
			b.WriteString(s)
		case plainKey.MatchString(s):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		default:
			b.WriteString("[" + strconv.Quote(s) + "]")
		}
	}
	return b.String()
}

func isIndex(s string) bool {
	if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	_, err := strconv.Atoi(s[1 : len(s)-1])
	return err == nil
}

// Position is where p stands in rn's file, or where its nearest existing
// parent stands: source.FieldPosition, but for keys with dots in them.
func Position(rn *yaml.RNode, p Path) finding.Position {
	pos := objectPosition(rn)
	if rn == nil {
		return pos
	}
	_, n := source.Walk(rn.YNode(), p)
	if n != nil && n.Line > 0 {
		pos.Line, pos.Column = n.Line, n.Column
	}
	return pos
}

// objectPosition is source.Position without its reliance on well-formed
// metadata: source.Position reads annotations through kyaml's RNode
// helpers, which panic when metadata is, say, a list. kioutil's
// GetFileAnnotations decodes metadata instead and reads malformed metadata
// as no annotations.
func objectPosition(rn *yaml.RNode) finding.Position {
	var pos finding.Position
	if rn == nil {
		return pos
	}
	root := source.Deref(rn.YNode())
	if root == nil {
		return pos
	}
	file, idx, _ := kioutil.GetFileAnnotations(rn)
	pos.File = file
	pos.Index, _ = strconv.Atoi(idx)
	if root.Line > 0 {
		pos.Line, pos.Column = root.Line, 1
	}
	return pos
}
