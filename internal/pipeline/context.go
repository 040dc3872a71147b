// Package pipeline chains the steps that turn a directory into the objects
// to apply: validate ▶ expand ▶ sort, each a kyaml kio.Filter. render,
// validate, plan, apply and the KRM function all run these same filters, so
// there is exactly one expansion code path.
package pipeline

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Context is what the filters share: the settings they run with and the
// findings they report. Filters never fail on bad input; they report it here
// and leave the decision to the caller.
type Context struct {
	// Config holds the control-plane settings (defaults applied).
	Config config.Config
	// DefaultNamespace is the namespace of MeshGatewayInstances that name none
	// (kubectl's -n, or the kubeconfig context's namespace, or "default").
	DefaultNamespace string
	// LiveNamespaces and LiveGateways come from the cluster (plan, apply):
	// mesh resolution and gateway matching use them when the directory does
	// not hold an object of the same name.
	LiveNamespaces []*yaml.RNode
	LiveGateways   []*yaml.RNode
	// Findings collects what every filter reports.
	Findings finding.List
	// decoded holds what Validate decoded, by node, so Expand neither
	// decodes again nor expands an instance Validate found errors in
	// (which would report them twice, or build half of what Kuma would).
	decoded map[*yaml.Node]decoded
}

type decoded struct {
	instance *gateway.Instance
	gateway  *gateway.Gateway
	valid    bool
}

// instance is the decoded instance of n, or nil when it is invalid.
func (c *Context) instance(n *yaml.RNode) *gateway.Instance {
	if d, ok := c.decoded[n.YNode()]; ok {
		if !d.valid {
			return nil
		}
		return d.instance
	}
	inst, fs := gateway.DecodeInstance(n)
	if inst == nil || fs.HasErrors() {
		return nil
	}
	return inst
}

// gateway is the decoded gateway of n, or nil when it does not decode.
func (c *Context) gateway(n *yaml.RNode) *gateway.Gateway {
	if d, ok := c.decoded[n.YNode()]; ok {
		return d.gateway
	}
	gw, fs := gateway.DecodeGateway(n)
	if gw == nil || fs.HasErrors() {
		return nil
	}
	return gw
}

func (c *Context) report(fs ...finding.Finding) { c.Findings = append(c.Findings, fs...) }

func (c *Context) namespace() string {
	if c.DefaultNamespace == "" {
		return "default"
	}
	return c.DefaultNamespace
}

// Filters is the chain every command runs.
func Filters(c *Context) []kio.Filter {
	return []kio.Filter{Validate{Ctx: c}, Expand{Ctx: c}, Sort{}}
}

// Chain runs filters one after the other as a single kio.Filter.
type Chain []kio.Filter

var _ kio.Filter = Chain{}

// Filter implements kio.Filter.
func (c Chain) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	var err error
	for _, f := range c {
		if nodes, err = f.Filter(nodes); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}
