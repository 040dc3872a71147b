package pipeline

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"k8s.io/apimachinery/pkg/runtime"
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
	x := expander{
		ctx:        e.Ctx,
		namespaces: e.namespaces(nodes),
		gateways:   gateway.NewIndex(e.gateways(nodes)),
		encoder:    &gateway.Encoder{},
	}
	var instances []int
	for i, n := range nodes {
		if isInstance(n) {
			instances = append(instances, i)
		}
	}
	// Instances expand independently, so two workers share them; results
	// are kept by position, so output and findings keep the input order.
	results := make([]expansion, len(instances))
	parallel(len(instances), func(j int) { results[j] = x.expand(nodes[instances[j]]) })
	var out []*yaml.RNode
	j := 0
	for i, n := range nodes {
		if j < len(instances) && instances[j] == i {
			out = append(out, results[j].objects...)
			e.Ctx.report(results[j].findings...)
			j++
			continue
		}
		if !isLocalConfig(n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// expander holds what every instance's expansion reads; it changes nothing
// shared, so instances can expand at the same time.
type expander struct {
	ctx        *Context
	namespaces map[string]gateway.Namespace
	gateways   *gateway.Index
	encoder    *gateway.Encoder
}

type expansion struct {
	objects  []*yaml.RNode
	findings finding.List
}

func (x expander) expand(n *yaml.RNode) expansion {
	var r expansion
	inst := x.ctx.instance(n)
	if inst == nil {
		return r
	}
	if inst.Namespace == "" {
		inst.Namespace = x.ctx.namespace()
	}
	mesh, fs := gateway.ResolveMesh(inst, x.namespaces)
	r.findings = append(r.findings, fs...)
	gw, fs := gateway.MatchGateway(inst, mesh, x.gateways.Candidates(inst, mesh))
	r.findings = append(r.findings, fs...)
	if gw == nil {
		return r
	}
	dep, svc, fs := gateway.Expand(inst, gw, mesh, x.ctx.Config)
	r.findings = append(r.findings, notAnnotationFindings(fs)...)
	if fs.HasErrors() {
		return r
	}
	for _, obj := range []runtime.Object{svc, dep} {
		if reflect.ValueOf(obj).IsNil() {
			continue
		}
		rn, err := x.encoder.Encode(obj)
		if err == nil {
			err = inherit(rn, n)
		}
		if err != nil {
			r.findings = append(r.findings, finding.Finding{
				Rule: RuleExpansionFailed, Severity: finding.Error, Object: source.Ref(n), Pos: source.Position(n),
				Message: fmt.Sprintf("cannot encode the expanded object: %v; this is a bug in kubectl-mgi, please report it", err),
			})
			continue
		}
		r.objects = append(r.objects, rn)
	}
	return r
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
		if gw := e.Ctx.gateway(n); gw != nil {
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
