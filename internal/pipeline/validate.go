package pipeline

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Validate reports what Kuma's admission webhooks would reject in every
// MeshGatewayInstance and MeshGateway. It passes all objects through.
type Validate struct{ Ctx *Context }

var _ kio.Filter = Validate{}

// Filter implements kio.Filter.
func (v Validate) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	type result struct {
		d        decoded
		findings finding.List
		kuma     bool
	}
	// Objects validate independently: all cores, results by position.
	results := make([]result, len(nodes))
	parallel(len(nodes), func(i int) {
		n := nodes[i]
		r := &results[i]
		switch {
		case isInstance(n):
			inst, fs := gateway.DecodeInstance(n)
			if inst != nil && !fs.HasErrors() {
				fs = append(fs, gateway.ValidateInstance(inst)...)
			}
			*r = result{d: decoded{instance: inst, valid: inst != nil && !fs.HasErrors()}, findings: fs, kuma: true}
		case isGateway(n):
			gw, fs := gateway.DecodeGateway(n)
			if gw != nil && !fs.HasErrors() {
				fs = append(fs, gateway.ValidateGateway(gw)...)
			} else {
				gw = nil
			}
			*r = result{d: decoded{gateway: gw, valid: gw != nil}, findings: fs, kuma: true}
		}
	})
	if v.Ctx.decoded == nil {
		v.Ctx.decoded = map[*yaml.Node]decoded{}
	}
	for i, r := range results {
		if r.kuma {
			v.Ctx.decoded[nodes[i].YNode()] = r.d
			v.Ctx.report(r.findings...)
		}
	}
	return nodes, nil
}
