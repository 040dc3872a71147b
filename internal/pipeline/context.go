// Package pipeline chains the steps that turn a directory into the objects
// to apply: read ▶ validate ▶ expand ▶ sort. render, validate, plan, apply
// and the KRM function all run these same steps, so there is exactly one
// expansion code path. Read and validate happen once (Read); expansion
// happens once, with whatever the cluster adds (Inputs.Expand).
package pipeline

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Context is what the steps share: the settings they run with and the
// findings they report. Steps never fail on bad input; they report it here
// and leave the decision to the caller.
type Context struct {
	// Config holds the control-plane settings (defaults applied).
	Config config.Config
	// DefaultNamespace is the namespace of MeshGatewayInstances that name none
	// (kubectl's -n, or the kubeconfig context's namespace); "" means
	// object.DefaultNamespace (object.NamespaceOr decides, for every caller).
	DefaultNamespace string
	// Findings collects what every step reports.
	Findings finding.List
}

// Live is what the cluster adds to the inputs (plan, apply): its Namespaces
// for mesh resolution and its MeshGateways for matching. An object of the
// same name in the inputs wins. The zero value is "no cluster".
type Live struct {
	Namespaces []*yaml.RNode
	Gateways   []*yaml.RNode
	// NodePortRange is the cluster's service node-port range, when it
	// could be read; a spec.nodePortRange of the configuration wins.
	NodePortRange string
}

func (c *Context) report(fs ...finding.Finding) { c.Findings = append(c.Findings, fs...) }

func (c *Context) namespace() string { return object.NamespaceOr(c.DefaultNamespace) }

// Filters is the chain every command runs, as kio.Filters for any kyaml
// pipeline: validate and expand (one filter: expansion uses what
// validation decoded), then sort.
func Filters(c *Context) []kio.Filter {
	return []kio.Filter{Expand{Ctx: c}, Sort{}}
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
