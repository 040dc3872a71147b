package gateway

import (
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// reporter collects findings about one object, filling in the object, the
// position of the field and the rule's default severity.
type reporter struct {
	node *yaml.RNode
	obj  object.Ref
	list finding.List
}

func (r *reporter) add(rule string, p path, format string, args ...any) {
	r.list = append(r.list, finding.Finding{
		Rule:     rule,
		Severity: severityOf(rule),
		Object:   r.obj,
		Field:    p.String(),
		Message:  fmt.Sprintf(format, args...),
		Pos:      position(r.node, p),
	})
}

// addAt is add for a finding whose place the path cannot find, such as the
// second of two equal keys.
func (r *reporter) addAt(n *yaml.Node, rule string, p path, format string, args ...any) {
	r.add(rule, p, format, args...)
	if f := &r.list[len(r.list)-1]; n != nil && n.Line > 0 {
		f.Pos.Line, f.Pos.Column = n.Line, n.Column
	}
}

// decoder is the strict decoder reporting into r, with Kuma as the owner
// of the fields.
func (r *reporter) decoder() strict.Decoder {
	return strict.Decoder{Owner: "Kuma", Report: func(rule string, p strict.Path, msg string, at *yaml.Node) {
		r.addAt(at, rule, path(p), "%s", msg)
	}}
}

// rename sets the object of every finding so far and from now on: the
// decoders only learn the object's name after walking it.
func (r *reporter) rename(obj object.Ref) {
	r.obj = obj
	for i := range r.list {
		r.list[i].Object = obj
	}
}

func instanceReporter(inst *Instance) *reporter {
	return &reporter{node: inst.Node, obj: inst.ref()}
}

func gatewayReporter(gw *Gateway) *reporter {
	return &reporter{node: gw.Node, obj: gw.ref()}
}

func (inst *Instance) ref() object.Ref {
	return object.New(APIVersion, KindInstance, inst.Namespace, inst.Name)
}

func (gw *Gateway) ref() object.Ref {
	return object.New(APIVersion, KindGateway, "", gw.Name)
}
