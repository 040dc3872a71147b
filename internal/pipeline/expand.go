package pipeline

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/parallel"
	"github.com/kubectl-mgi/kubectl-mgi/internal/shape"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleExpansionFailed: an object could not be encoded (a bug: please report).
const RuleExpansionFailed = "ExpansionFailed"

// RuleImplicitNamespace: an instance names no namespace, so where it goes
// depends on -n or the kubeconfig the command runs with.
const RuleImplicitNamespace = "ImplicitNamespace"

// Expand validates every MeshGatewayInstance and MeshGateway, then
// replaces every instance by the Deployment and Service Kuma would build for
// it, and drops the other local-config objects. Other objects pass through
// untouched, comments included. Instances with error findings are not
// expanded. It is the kio.Filter form of validate followed by expand.
type Expand struct {
	Ctx  *Context
	Live Live
}

var _ kio.Filter = Expand{}

// Filter implements kio.Filter.
func (e Expand) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	out, _, _ := expand(e.Ctx, validate(e.Ctx, nodes), e.Live)
	return out, nil
}

// expand matches and expands the validated inputs with live, once. The
// matches say, per instance node, its mesh and the gateway it matched;
// refs[i] is out[i]'s reference, read once for the collision check and the
// sort.
func expand(ctx *Context, in []checked, live Live) (out []*yaml.RNode, refs []object.Ref, matches map[*yaml.RNode]match) {
	x := expander{
		ctx:        ctx,
		namespaces: namespaces(in, live),
		gateways:   gateway.NewIndex(gateways(in, live)),
		gen:        gateway.NewExpander(ctx.Config),
		release:    ctx.Config.Release(),
		encoder:    &codec.Encoder{},
		shapes:     &shape.Shared{},
	}
	var instances []int
	for i, c := range in {
		if isInstance(c.node) {
			instances = append(instances, i)
		}
	}
	// Instances expand independently, so two workers share them; results
	// are kept by position, so output and findings keep the input order.
	results := make([]expansion, len(instances))
	parallel.Each(len(instances), func(j int) { results[j] = x.expand(in[instances[j]]) })
	generated := map[*yaml.RNode]bool{}
	matches = make(map[*yaml.RNode]match, len(instances))
	j := 0
	for i, c := range in {
		if j < len(instances) && instances[j] == i {
			matches[c.node] = results[j].match
			for _, o := range results[j].objects {
				generated[o] = true
			}
			out = append(out, results[j].objects...)
			ctx.report(results[j].findings...)
			j++
			continue
		}
		if !isLocalConfig(c.node) {
			out = append(out, c.node)
		}
	}
	refs = make([]object.Ref, len(out))
	parallel.Each(len(out), func(i int) { refs[i] = source.Ref(out[i]) })
	ctx.report(collisions(ctx, generated, out, refs)...)
	return out, refs, matches
}

// expander holds what every instance's expansion reads; it changes nothing
// shared, so instances can expand at the same time.
type expander struct {
	ctx        *Context
	namespaces map[string]gateway.Namespace
	gateways   *gateway.Index
	gen        *gateway.Expander
	release    kuma.Release
	encoder    *codec.Encoder
	// shapes checks the generated objects, each shared pod spec once.
	shapes *shape.Shared
}

type expansion struct {
	objects  []*yaml.RNode
	findings finding.List
	match    match
}

// match is what matching found for one instance: its mesh, and the
// MeshGateway it matched ("" when none did, and Kuma builds nothing).
type match struct {
	mesh, gateway string
}

func (x expander) expand(c checked) expansion {
	var r expansion
	if c.instance == nil {
		return r
	}
	n := c.node
	// A copy: the decoded instance belongs to the inputs, and the default
	// namespace is the expansion's business.
	inst := *c.instance
	if inst.Namespace == "" {
		inst.Namespace = x.ctx.namespace()
		r.findings = append(r.findings, finding.Finding{
			Rule: RuleImplicitNamespace, Severity: finding.Info, Object: source.Ref(n), Pos: source.Position(n), Field: "metadata.namespace",
			Message: fmt.Sprintf("names no namespace, so it and its Deployment and Service go to namespace %s: every command uses -n, else the kubeconfig context's namespace, else default. Set metadata.namespace so the directory means the same wherever it runs", inst.Namespace),
		})
	}
	mesh, fs := gateway.ResolveMesh(&inst, x.namespaces, x.release)
	r.findings = append(r.findings, fs...)
	gw, fs := gateway.MatchGateway(&inst, mesh, x.gateways.Candidates(&inst, mesh))
	r.findings = append(r.findings, fs...)
	r.match.mesh = mesh
	if gw == nil {
		return r
	}
	r.match.gateway = gw.Name
	dep, svc, fs := x.gen.Expand(&inst, gw, mesh)
	r.findings = append(r.findings, fs...)
	if fs.HasErrors() {
		return r
	}
	for _, obj := range []runtime.Object{svc, dep} {
		if reflect.ValueOf(obj).IsNil() {
			continue
		}
		rn, err := x.encoder.Encode(obj)
		if err == nil {
			err = x.inherit(rn, n)
		}
		if err != nil {
			r.findings = append(r.findings, finding.Finding{
				Rule: RuleExpansionFailed, Severity: finding.Error, Object: source.Ref(n), Pos: source.Position(n),
				Message: fmt.Sprintf("cannot encode the expanded object: %v; this is a bug in kubectl-mgi, please report it", err),
			})
			continue
		}
		// The generated objects are checked as the inputs are: the
		// instance's fields end up in them (labels, quantities).
		for _, f := range x.shapes.Check(rn) {
			f.Message = "generated " + f.Object.Kind + ": " + f.Message
			r.findings = append(r.findings, f)
		}
		r.objects = append(r.objects, rn)
	}
	return r
}

// inherit gives a generated object the file, index and line of the instance
// it was made from, so that plans and KRM results point at that instance.
// The annotations are added in this order, single-quoted (as kyaml's
// SetAnnotation writes them), a value replaced where the key is there, a new
// annotations mapping last in metadata, with the Encoder's shared key
// nodes, and in place: the object's metadata is its own, fresh from the
// Encoder. Two annotations on each of 20,000 objects were a tenth of the
// generated objects' nodes.
func (x expander) inherit(rn, from *yaml.RNode) error {
	// Each annotation is looked up on its own (source.Annotation), not
	// through kyaml's GetAnnotations, which builds a map of all of them.
	var buf [len(inherited)][2]string
	kvs := buf[:0]
	for _, k := range inherited {
		if v, ok := source.Annotation(from, k); ok {
			kvs = append(kvs, [2]string{k, v})
		}
	}
	if len(kvs) > 0 {
		_, meta := source.Step(rn.YNode(), "metadata")
		if meta == nil || meta.Kind != yaml.MappingNode {
			return fmt.Errorf("annotating object: metadata is not a map")
		}
		ann := annotationsOf(meta)
		if ann == nil {
			ann = &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: make([]*yaml.Node, 0, 2*len(kvs))}
			meta.Content = append(meta.Content, x.encoder.Key("annotations"), ann)
		}
		values := make([]yaml.Node, len(kvs)) // one allocation for all
		for i, kv := range kvs {
			values[i] = yaml.Node{Kind: yaml.ScalarNode, Tag: yaml.NodeTagString, Value: kv[1], Style: yaml.SingleQuotedStyle}
			source.SetField(ann, x.encoder.Key(kv[0]), &values[i])
		}
	}
	rn.YNode().Line = source.Position(from).Line
	return nil
}

// annotationsOf is the non-empty annotations mapping of a metadata mapping;
// an empty or null one is removed (nil is returned), as kyaml's
// SetAnnotation does. The Encoder prunes empty mappings, so this
// does not happen with its objects.
func annotationsOf(meta *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(meta.Content); i += 2 {
		if meta.Content[i].Value != "annotations" {
			continue
		}
		if a := meta.Content[i+1]; a.Kind == yaml.MappingNode && len(a.Content) > 0 {
			return a
		}
		meta.Content = append(meta.Content[:i:i], meta.Content[i+2:]...)
		return nil
	}
	return nil
}

// inherited are the reader annotations a generated object takes from its
// instance, in this order. The readers here set only kio's internal forms;
// inputs written by older kyaml may carry only the legacy ones.
var inherited = [...]string{
	kioutil.PathAnnotation,
	//lint:ignore SA1019 kyaml v0.21's own ByteReader still sets the legacy names (and ByteWriter clears them); objects carry both forms
	kioutil.LegacyPathAnnotation,
	kioutil.IndexAnnotation,
	//lint:ignore SA1019 as above
	kioutil.LegacyIndexAnnotation,
}

// namespaces are the inputs' Namespaces over the live ones.
func namespaces(in []checked, live Live) map[string]gateway.Namespace {
	m := map[string]gateway.Namespace{}
	for _, n := range live.Namespaces {
		ns := gateway.DecodeNamespace(n)
		m[ns.Name] = ns
	}
	for _, c := range in {
		if isNamespace(c.node) {
			ns := gateway.DecodeNamespace(c.node)
			m[ns.Name] = ns
		}
	}
	return m
}

// gateways are the inputs' MeshGateways over the live ones of the same
// name, sorted by name. Gateways that do not decode are left out (validate
// has reported those of the inputs; live ones the API server accepted).
func gateways(in []checked, live Live) []*gateway.Gateway {
	byName := map[string]*gateway.Gateway{}
	for _, n := range live.Gateways {
		if gw, fs := gateway.DecodeGateway(n); gw != nil && !fs.HasErrors() {
			byName[gw.Name] = gw
		}
	}
	online := live.Namespaces != nil || live.Gateways != nil
	for _, c := range in {
		if c.gateway == nil {
			continue
		}
		// Kuma ranks by creation time: a directory's gateway that is live
		// keeps the live one's; one that is not is created by this apply,
		// newer than all live ones. Offline neither is known.
		gw := *c.gateway
		if l, ok := byName[gw.Name]; ok {
			gw.CreationTimestamp = l.CreationTimestamp
		} else if online {
			gw.Pending = true
		}
		byName[gw.Name] = &gw
	}
	out := make([]*gateway.Gateway, 0, len(byName))
	for _, gw := range byName {
		out = append(out, gw)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
