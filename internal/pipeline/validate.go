package pipeline

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"github.com/kubectl-mgi/kubectl-mgi/internal/parallel"
	"github.com/kubectl-mgi/kubectl-mgi/internal/shape"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// checked is one input after validation, carrying what was decoded so that
// expansion neither decodes again nor expands an instance with errors
// (which would report them twice, or build half of what Kuma would).
type checked struct {
	node *yaml.RNode
	// instance is the decoded MeshGatewayInstance, nil unless the node is
	// one without error findings. Its annotations are parsed (once, by
	// gateway.ValidateInstance).
	instance *gateway.Instance
	// gateway is the decoded MeshGateway, nil unless the node is one that
	// decodes.
	gateway *gateway.Gateway
}

// validate reports what Kuma's admission webhooks would reject in every
// MeshGatewayInstance and MeshGateway, and returns every node with what was
// decoded from it, in input order.
func validate(ctx *Context, nodes []*yaml.RNode) []checked {
	out := make([]checked, len(nodes))
	findings := make([]finding.List, len(nodes))
	// Objects validate independently: all cores, results by position.
	parallel.Each(len(nodes), func(i int) {
		n := nodes[i]
		out[i].node = n
		av, kind := source.TypeOf(n) // once: the kind decides every step below
		instance := av == kumaAPIVersion && kind == kindInstance
		// What the API server would refuse about any object's shape.
		var shaped finding.List
		if instance || !localConfig(n, av, kind) {
			shaped = shape.Check(n)
		}
		switch {
		case instance:
			inst, fs := gateway.DecodeInstance(n)
			fs = append(fs, shaped...)
			if inst != nil && !fs.HasErrors() {
				fs = append(fs, gateway.ValidateInstance(inst, ctx.Config.Release())...)
			}
			if inst != nil && !fs.HasErrors() {
				out[i].instance = inst
			}
			findings[i] = fs
		case av == kumaAPIVersion && kind == kindGateway:
			gw, fs := gateway.DecodeGateway(n)
			if gw != nil && !fs.HasErrors() {
				fs = append(fs, gateway.ValidateGateway(gw)...)
				out[i].gateway = gw
			}
			findings[i] = append(fs, shaped...)
		default:
			findings[i] = shaped
		}
	})
	for _, fs := range findings {
		ctx.report(fs...)
	}
	return out
}
