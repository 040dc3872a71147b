package gateway

import (
	"encoding/json"
	"fmt"
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
	top := decodeTop(rn, instanceSchema, r)
	inst.Name, inst.Namespace, inst.Labels, inst.Annotations = metadataOf(top)
	r.rename(inst.ref())

	spec, ok := top["spec"].(map[string]any)
	inst.HasSpec = ok
	if ok {
		intoTyped(spec, &inst.Spec, r, fieldPath("spec"))
		applyCRDDefaults(&inst.Spec, spec)
	}
	return inst, r.list
}

// applyCRDDefaults does what the API server does with the CRD's defaults,
// which it applies only inside a spec that exists.
func applyCRDDefaults(s *InstanceSpec, raw map[string]any) {
	if _, set := raw["replicas"]; !set {
		s.Replicas = 1
	}
	if _, set := raw["serviceType"]; !set {
		s.ServiceType = corev1.ServiceTypeLoadBalancer
	}
}

// DecodeGateway decodes a MeshGateway strictly, like DecodeInstance, and
// reads metadata.creationTimestamp when the object came from a cluster.
func DecodeGateway(rn *yaml.RNode) (*Gateway, finding.List) {
	gw := &Gateway{Node: rn}
	r := &reporter{node: rn, obj: refOf(rn, KindGateway)}
	top := decodeTop(rn, gatewaySchema, r)
	gw.Name, _, _, _ = metadataOf(top)
	gw.Mesh, _ = top["mesh"].(string)
	r.rename(gw.ref())
	if spec, ok := top["spec"].(map[string]any); ok {
		intoTyped(spec, &gw.Spec, r, fieldPath("spec"))
	}
	gw.CreationTimestamp = creationTime(rn, r)
	return gw, r.list
}

// DecodeNamespace reads a Namespace's name, labels and annotations. It is
// lenient: a Namespace is not this tool's input to check.
func DecodeNamespace(rn *yaml.RNode) Namespace {
	top := decodeTop(rn, namespaceSchema, &reporter{node: rn})
	ns := Namespace{}
	ns.Name, _, ns.Labels, ns.Annotations = metadataOf(top)
	return ns
}

// refOf names the object before its metadata is decoded. It does not use
// source.Ref, which panics on malformed metadata; the decoders replace it
// with the decoded name as soon as they have it.
func refOf(_ *yaml.RNode, kind string) object.Ref {
	return object.New(APIVersion, kind, "", "")
}

// decodeTop walks the whole object; a nil or non-map node is a finding and
// an empty result.
func decodeTop(rn *yaml.RNode, sc *strict.Schema, r *reporter) map[string]any {
	if rn == nil || rn.YNode() == nil {
		r.add(InvalidType, nil, "the object is empty; give it apiVersion, kind, metadata and spec")
		return map[string]any{}
	}
	top, _ := r.decoder().Walk(rn.YNode(), sc, nil).(map[string]any)
	if top == nil {
		top = map[string]any{}
	}
	return top
}

func metadataOf(top map[string]any) (name, namespace string, labels, annotations map[string]string) {
	md, _ := top["metadata"].(map[string]any)
	name, _ = md["name"].(string)
	namespace, _ = md["namespace"].(string)
	return name, namespace, stringMap(md["labels"]), stringMap(md["annotations"])
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

// intoTyped moves a cleaned tree into a typed struct. The tree holds only
// values the schema accepted, so this fails only if the schema and the
// struct disagree, a bug that is still reported rather than panicking.
func intoTyped(tree any, into any, r *reporter, p path) {
	b, err := json.Marshal(tree)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		r.add(InvalidType, p, "cannot be read: %v", fmt.Errorf("decoding %s: %w", p, err))
	}
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
