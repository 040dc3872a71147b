package pipeline

import (
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// collisions reports every hand-written object that has the group, kind,
// namespace and name of an object generated from an instance: render would
// emit both and apply would write them in turn, never converging. The
// finding is on the hand-written object and names the instance's place.
// A hand-written object without a namespace is in the namespace instances
// without one get (the generated kinds are namespaced).
// refs[i] is out[i]'s reference.
func collisions(ctx *Context, generated map[*yaml.RNode]bool, out []*yaml.RNode, refs []object.Ref) finding.List {
	if len(generated) == 0 {
		return nil
	}
	type genObj struct {
		n   *yaml.RNode
		ref object.Ref
	}
	gen := map[object.Ref]genObj{}
	for i, n := range out {
		if generated[n] {
			gen[refs[i].ID()] = genObj{n, refs[i]}
		}
	}
	var fs finding.List
	for i, n := range out {
		if generated[n] {
			continue
		}
		k := refs[i].ID()
		if k.Namespace == "" {
			k.Namespace = ctx.namespace()
		}
		g, ok := gen[k]
		if !ok {
			continue
		}
		fs = append(fs, finding.Finding{
			Rule:     source.RuleDuplicateObject,
			Severity: finding.Error,
			Object:   g.ref,
			Pos:      source.Position(n),
			Message: fmt.Sprintf("this object is also generated from the MeshGatewayInstance at %s; keep one: remove this file's object, or the instance",
				source.Position(g.n).String()),
		})
	}
	return fs
}
