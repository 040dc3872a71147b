package pipeline

import (
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
	for _, n := range nodes {
		switch {
		case isInstance(n):
			inst, fs := gateway.DecodeInstance(n)
			if inst != nil && !fs.HasErrors() {
				fs = append(fs, gateway.ValidateInstance(inst)...)
			}
			v.Ctx.report(fs...)
			if inst == nil || fs.HasErrors() {
				v.Ctx.markInvalid(n)
			}
		case isGateway(n):
			gw, fs := gateway.DecodeGateway(n)
			v.Ctx.report(fs...)
			if gw != nil && !fs.HasErrors() {
				v.Ctx.report(gateway.ValidateGateway(gw)...)
			}
		}
	}
	return nodes, nil
}
