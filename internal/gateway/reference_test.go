package gateway

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
)

// The decoders' reference: how objects were decoded before Decode stored
// into the typed structs directly: the strict walk's cleaned tree, then a
// round trip through encoding/json, then the CRD defaults by the tree's
// keys. Decoding must give the same values and the same findings.

func referenceInstance(rn *yaml.RNode) (*Instance, finding.List) {
	inst := &Instance{Node: rn}
	r := &reporter{node: rn, obj: refOf(rn, KindInstance)}
	top := referenceTop(rn, instanceSchema, r)
	inst.Name, inst.Namespace, inst.Labels, inst.Annotations = referenceMetadata(top)
	r.rename(inst.ref())
	spec, ok := top["spec"].(map[string]any)
	inst.HasSpec = ok
	if ok {
		referenceTyped(spec, &inst.Spec, r, fieldPath("spec"))
		if _, set := spec["replicas"]; !set {
			inst.Spec.Replicas = 1
		}
		if _, set := spec["serviceType"]; !set {
			inst.Spec.ServiceType = corev1.ServiceTypeLoadBalancer
		}
	}
	return inst, r.list
}

func referenceGateway(rn *yaml.RNode) (*Gateway, finding.List) {
	gw := &Gateway{Node: rn}
	r := &reporter{node: rn, obj: refOf(rn, KindGateway)}
	top := referenceTop(rn, gatewaySchema, r)
	gw.Name, _, _, _ = referenceMetadata(top)
	gw.Mesh, _ = top["mesh"].(string)
	r.rename(gw.ref())
	if spec, ok := top["spec"].(map[string]any); ok {
		referenceTyped(spec, &gw.Spec, r, fieldPath("spec"))
	}
	gw.CreationTimestamp = creationTime(rn, r)
	return gw, r.list
}

func referenceNamespace(rn *yaml.RNode) Namespace {
	top := referenceTop(rn, namespaceSchema, &reporter{node: rn})
	ns := Namespace{}
	ns.Name, _, ns.Labels, ns.Annotations = referenceMetadata(top)
	return ns
}

func referenceTop(rn *yaml.RNode, sc *strict.Schema, r *reporter) map[string]any {
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

func referenceMetadata(top map[string]any) (name, namespace string, labels, annotations map[string]string) {
	md, _ := top["metadata"].(map[string]any)
	name, _ = md["name"].(string)
	namespace, _ = md["namespace"].(string)
	return name, namespace, referenceStrings(md["labels"]), referenceStrings(md["annotations"])
}

func referenceStrings(v any) map[string]string {
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

func referenceTyped(tree any, into any, r *reporter, p path) {
	b, err := json.Marshal(tree)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		r.add(InvalidType, p, "cannot be read: %v", fmt.Errorf("decoding %s: %w", p, err))
	}
}

// sameAsReference decodes rn as each kind both ways and says how they
// differ, or "" when they do not.
func sameAsReference(rn *yaml.RNode) string {
	inst, fi := DecodeInstance(rn)
	wantInst, wfi := referenceInstance(rn)
	if !reflect.DeepEqual(inst, wantInst) {
		return fmt.Sprintf("instance %+v, reference %+v", inst, wantInst)
	}
	if !reflect.DeepEqual(fi, wfi) {
		return fmt.Sprintf("instance findings:\n%s\nreference:\n%s", dump(fi), dump(wfi))
	}
	gw, fg := DecodeGateway(rn)
	wantGw, wfg := referenceGateway(rn)
	if !reflect.DeepEqual(gw, wantGw) {
		return fmt.Sprintf("gateway %+v, reference %+v", gw, wantGw)
	}
	if !reflect.DeepEqual(fg, wfg) {
		return fmt.Sprintf("gateway findings:\n%s\nreference:\n%s", dump(fg), dump(wfg))
	}
	if ns, want := DecodeNamespace(rn), referenceNamespace(rn); !reflect.DeepEqual(ns, want) {
		return fmt.Sprintf("namespace %+v, reference %+v", ns, want)
	}
	return ""
}

// TestDecodeMatchesJSONRoundTripOnEveryTestdataInput decodes every object
// of every testdata file as an instance, a gateway and a namespace.
func TestDecodeMatchesJSONRoundTripOnEveryTestdataInput(t *testing.T) {
	objects := 0
	for _, root := range []string{"../../testdata", "../../internal"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.Contains(p, "testdata") || !strings.HasSuffix(p, ".yaml") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			nodes, _ := source.ReadBytes(data, p)
			for i, rn := range nodes {
				objects++
				if diff := sameAsReference(rn); diff != "" {
					t.Errorf("%s, object %d: %s", p, i, diff)
				}
			}
			return nil
		})
	}
	if objects < 500 {
		t.Fatalf("decoded only %d objects; is the walk rooted right?", objects)
	}
	for _, doc := range hostile {
		if rn, err := yaml.Parse(doc); err == nil {
			if diff := sameAsReference(rn); diff != "" {
				t.Errorf("%q: %s", doc, diff)
			}
		}
	}
	if diff := sameAsReference(nil); diff != "" {
		t.Errorf("nil: %s", diff)
	}
}

// FuzzDecodeMatchesJSONRoundTrip compares the decoders with the reference
// on arbitrary documents.
func FuzzDecodeMatchesJSONRoundTrip(f *testing.F) {
	for _, doc := range hostile {
		f.Add(doc)
	}
	f.Add("spec:\n  replicas: 0\n  resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: ' 1'}, claims: [{name: a}, 5]}\n")
	f.Add("spec:\n  conf:\n    listeners:\n    - {port: 80, tls: {options: {}, certificates: [{inline_string: a, inlineString: b}]}, resources: {connection_limit: 3}}\n")
	f.Add("metadata: {name: a, namespace: b, labels: {}, annotations: {x: y}}\nmesh: m\nspec: {tags: {}, selectors: []}\n")
	f.Fuzz(func(t *testing.T, doc string) {
		rn, err := yaml.Parse(doc)
		if err != nil {
			return
		}
		if diff := sameAsReference(rn); diff != "" {
			t.Fatal(diff)
		}
	})
}
