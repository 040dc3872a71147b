package gateway

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
)

// DecodeInstance decodes a MeshGatewayInstance strictly: unknown fields and
// values of the wrong kind are error findings naming the field path. It
// always returns an Instance holding whatever was valid, and never panics.
func DecodeInstance(rn *yaml.RNode) (*Instance, finding.List) {
	inst := &Instance{Node: rn}
	r := &reporter{node: rn, obj: refOf(rn, KindInstance)}
	// The CRD's defaults, which the API server applies only inside a spec
	// that exists; what the spec sets replaces them.
	spec := InstanceSpec{Replicas: 1, ServiceType: corev1.ServiceTypeLoadBalancer}
	doc := struct {
		Metadata objectMeta    `json:"metadata"`
		Spec     *InstanceSpec `json:"spec"`
	}{Spec: &spec}
	top := decodeTop(rn, instanceSchema, r, &doc)
	inst.Name, inst.Namespace, inst.Labels, inst.Annotations = doc.Metadata.Name, doc.Metadata.Namespace, doc.Metadata.Labels, doc.Metadata.Annotations
	r.rename(inst.ref())
	if inst.HasSpec = isMap(strict.Field(top, "spec")); inst.HasSpec {
		inst.Spec = spec
	}
	return inst, r.list
}

// DecodeGateway decodes a MeshGateway strictly, like DecodeInstance, and
// reads metadata.creationTimestamp when the object came from a cluster.
func DecodeGateway(rn *yaml.RNode) (*Gateway, finding.List) {
	gw := &Gateway{Node: rn}
	r := &reporter{node: rn, obj: refOf(rn, KindGateway)}
	doc := struct {
		Metadata objectMeta  `json:"metadata"`
		Mesh     string      `json:"mesh"`
		Spec     GatewaySpec `json:"spec"`
	}{}
	decodeTop(rn, gatewaySchema, r, &doc)
	gw.Name, gw.Mesh, gw.Spec = doc.Metadata.Name, doc.Mesh, doc.Spec
	r.rename(gw.ref())
	gw.CreationTimestamp = creationTime(rn, r)
	return gw, r.list
}

// DecodeNamespace reads a Namespace's name, labels and annotations. It is
// lenient: a Namespace is not this tool's input to check.
func DecodeNamespace(rn *yaml.RNode) Namespace {
	var doc struct {
		Metadata objectMeta `json:"metadata"`
	}
	decodeTop(rn, namespaceSchema, &reporter{node: rn}, &doc)
	return Namespace{Name: doc.Metadata.Name, Labels: doc.Metadata.Labels, Annotations: doc.Metadata.Annotations}
}

// objectMeta is what the tool reads of an object's metadata.
type objectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// refOf names the object before its metadata is decoded. It does not use
// source.Ref, which panics on malformed metadata; the decoders replace it
// with the decoded name as soon as they have it.
func refOf(_ *yaml.RNode, kind string) object.Ref {
	return object.New(APIVersion, kind, "", "")
}

// decodeTop decodes the whole object into doc (a pointer to a struct of
// the fields the tool reads) and returns the object's node; a nil or
// non-map node is a finding.
func decodeTop(rn *yaml.RNode, sc *strict.Schema, r *reporter, doc any) *yaml.Node {
	if rn == nil || rn.YNode() == nil {
		r.add(InvalidType, nil, "the object is empty; give it apiVersion, kind, metadata and spec")
		return nil
	}
	r.decoder().Decode(rn.YNode(), sc, nil, doc)
	return rn.YNode()
}

// isMap reports whether n (an alias followed) is a map.
func isMap(n *yaml.Node) bool {
	n = deref(n)
	return n != nil && n.Kind == yaml.MappingNode
}

// creationTime reads metadata.creationTimestamp; nil when absent or null.
func creationTime(rn *yaml.RNode, r *reporter) *time.Time {
	if rn == nil {
		return nil
	}
	p := fieldPath("metadata", "creationTimestamp")
	n := deref(step1(step1(rn.YNode(), "metadata"), "creationTimestamp"))
	if n == nil || strict.IsNull(n) {
		return nil
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		r.add(InvalidType, p, "must be an RFC 3339 time such as 2024-05-01T10:00:00Z, not %s", strict.Describe(n))
		return nil
	}
	return &t
}
