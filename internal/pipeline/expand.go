package pipeline

import (
	"fmt"
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleExpansionFailed: an object could not be encoded (a bug: please report).
const RuleExpansionFailed = "ExpansionFailed"

// Expand replaces every MeshGatewayInstance by the Deployment and Service
// Kuma would build for it, and drops the other local-config objects. Other
// objects pass through untouched, comments included. Instances that do not
// decode are skipped: Validate has reported them.
type Expand struct{ Ctx *Context }

var _ kio.Filter = Expand{}

// Filter implements kio.Filter.
func (e Expand) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	namespaces := e.namespaces(nodes)
	gateways := gateway.NewIndex(e.gateways(nodes))
	var out []*yaml.RNode
	for _, n := range nodes {
		if isInstance(n) {
			out = append(out, e.expand(n, namespaces, gateways)...)
			continue
		}
		if !isLocalConfig(n) {
			out = append(out, n)
		}
	}
	return out, nil
}

func (e Expand) expand(n *yaml.RNode, namespaces map[string]gateway.Namespace, gateways *gateway.Index) []*yaml.RNode {
	if e.Ctx.invalid[source.Key(n)] {
		return nil
	}
	inst, fs := gateway.DecodeInstance(n)
	if inst == nil || fs.HasErrors() {
		return nil
	}
	if inst.Namespace == "" {
		inst.Namespace = e.Ctx.namespace()
	}
	mesh, fs := gateway.ResolveMesh(inst, namespaces)
	e.Ctx.report(fs...)
	gw, fs := gateway.MatchGateway(inst, mesh, gateways.Candidates(inst, mesh))
	e.Ctx.report(fs...)
	if gw == nil {
		return nil
	}
	dep, svc, fs := gateway.Expand(inst, gw, mesh, e.Ctx.Config)
	e.Ctx.report(notAnnotationFindings(fs)...)
	if fs.HasErrors() {
		return nil
	}
	var out []*yaml.RNode
	for _, obj := range []any{svc, dep} {
		if obj == nil {
			continue
		}
		rn, err := encode(obj)
		if err == nil {
			err = inherit(rn, n)
		}
		if err != nil {
			e.Ctx.report(finding.Finding{
				Rule: RuleExpansionFailed, Severity: finding.Error, Object: source.Ref(n), Pos: source.Position(n),
				Message: fmt.Sprintf("cannot encode the expanded object: %v; this is a bug in kubectl-mgi, please report it", err),
			})
			continue
		}
		out = append(out, rn)
	}
	return out
}

// notAnnotationFindings drops the annotation problems gateway.Expand
// repeats: Validate has already reported them for this instance, and a
// warning printed twice reads like two problems.
func notAnnotationFindings(fs finding.List) finding.List {
	var out finding.List
	for _, f := range fs {
		if f.Rule != gateway.InvalidAnnotation && f.Rule != gateway.UnknownLogLevel {
			out = append(out, f)
		}
	}
	return out
}

// inherit gives a generated object the file, index and line of the instance
// it was made from, so that plans and KRM results point at that instance.
func inherit(rn, from *yaml.RNode) error {
	a := from.GetAnnotations()
	for _, k := range []string{kioutil.PathAnnotation, kioutil.LegacyPathAnnotation, kioutil.IndexAnnotation, kioutil.LegacyIndexAnnotation} {
		if v, ok := a[k]; ok {
			if err := rn.PipeE(yaml.SetAnnotation(k, v)); err != nil {
				return err
			}
		}
	}
	rn.YNode().Line = source.Position(from).Line
	return nil
}

// namespaces are the directory's Namespaces over the live ones.
func (e Expand) namespaces(nodes []*yaml.RNode) map[string]gateway.Namespace {
	m := map[string]gateway.Namespace{}
	for _, n := range e.Ctx.LiveNamespaces {
		ns := gateway.DecodeNamespace(n)
		m[ns.Name] = ns
	}
	for _, n := range nodes {
		if isNamespace(n) {
			ns := gateway.DecodeNamespace(n)
			m[ns.Name] = ns
		}
	}
	return m
}

// gateways are the directory's MeshGateways over the live ones of the same
// name, sorted by name. Gateways that do not decode are left out (Validate
// has reported them).
func (e Expand) gateways(nodes []*yaml.RNode) []*gateway.Gateway {
	byName := map[string]*gateway.Gateway{}
	add := func(n *yaml.RNode) {
		gw, fs := gateway.DecodeGateway(n)
		if gw != nil && !fs.HasErrors() {
			byName[gw.Name] = gw
		}
	}
	for _, n := range e.Ctx.LiveGateways {
		add(n)
	}
	for _, n := range nodes {
		if isGateway(n) {
			add(n)
		}
	}
	out := make([]*gateway.Gateway, 0, len(byName))
	for _, gw := range byName {
		out = append(out, gw)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
