package gateway

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// path is the domain's name for strict.Path: a field path as segments (tag
// and annotation keys hold dots that a dotted string cannot tell apart).
type path []string

func fieldPath(keys ...string) path { return path(keys) }

// key returns a new path one map key deeper; p itself is never modified.
func (p path) key(k string) path { return path(strict.Path(p).Key(k)) }

// index returns a new path one list item deeper.
func (p path) index(i int) path { return path(strict.Path(p).Index(i)) }

// String renders spec.conf.listeners[0].port (strict.Path.String).
func (p path) String() string { return strict.Path(p).String() }

// position is where p stands in rn's file (strict.Position).
func position(rn *yaml.RNode, p path) finding.Position { return strict.Position(rn, strict.Path(p)) }

// step1 is the value one step below n (source.Step).
func step1(n *yaml.Node, step string) *yaml.Node {
	_, v := source.Step(n, step)
	return v
}

// deref is source.Deref.
func deref(n *yaml.Node) *yaml.Node { return source.Deref(n) }
