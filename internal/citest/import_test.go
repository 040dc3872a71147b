package citest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

var (
	mgiGVR = schema.GroupVersionResource{Group: "kuma.io", Version: "v1alpha1", Resource: "meshgatewayinstances"}
	mgwGVR = schema.GroupVersionResource{Group: "kuma.io", Version: "v1alpha1", Resource: "meshgateways"}
	depGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	svcGVR = schema.GroupVersionResource{Version: "v1", Resource: "services"}
)

// kumaSource is what Kuma's controller ran with: an instance (with
// annotations of its own), its gateway, and control-plane settings that
// differ from Kuma's defaults, so that import must read them back.
const kumaSource = `apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  kumaVersion: 2.9.3
  dataplaneImage: docker.io/kumahq/kuma-dp:2.9.3
  controlPlaneURL: https://kuma-control-plane.kuma-system:5678
  drainTime: 45s
  envVars: {EXTRA_FLAG: "on"}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
  namespace: @NS@
  annotations:
    kuma.io/sidecar-env-vars: FROM_INSTANCE=1
spec:
  replicas: 2
  serviceType: ClusterIP
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: @NS@
spec:
  selectors:
  - match:
      kuma.io/service: edge_@NS@_svc
  conf:
    listeners:
    - port: 80
      protocol: HTTP
`

// prepareAsKuma leaves the cluster as Kuma's controller does: the instance
// and gateway in the cluster, and the rendered Deployment and Service
// created by manager kuma-cp (an Update in managedFields) with a controller
// ownerReference to the instance and the zero divisor Go writes.
func prepareAsKuma(t *testing.T, ns string) {
	t.Helper()
	src := strings.ReplaceAll(kumaSource, "@NS@", ns)
	buildAsKuma(t, ns, src, createInstances(t, ns, src))
}

// createInstances creates the instances and gateways of src.
func createInstances(t *testing.T, ns, src string) *unstructured.Unstructured {
	t.Helper()
	ctx := context.Background()
	dyn := dynamicClient(t)
	var inst *unstructured.Unstructured
	var err error
	for _, u := range decodeDocs(t, src) {
		switch u.GetKind() {
		case "MeshGatewayInstance":
			if inst, err = dyn.Resource(mgiGVR).Namespace(ns).Create(ctx, u, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
		case "MeshGateway":
			if _, err = dyn.Resource(mgwGVR).Create(ctx, u, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return inst
}

// buildAsKuma creates what src renders to as Kuma's controller would, for
// the live instance inst.
func buildAsKuma(t *testing.T, ns, src string, inst *unstructured.Unstructured) {
	t.Helper()
	ctx := context.Background()
	rendered := renderSource(t, src)
	dyn := dynamicClient(t)
	yes := true
	for _, u := range decodeDocs(t, rendered) {
		gvr := depGVR
		switch u.GetKind() {
		case "Service":
			gvr = svcGVR
		case "Deployment":
		default:
			continue
		}
		u.SetOwnerReferences([]metav1.OwnerReference{{APIVersion: "kuma.io/v1alpha1", Kind: "MeshGatewayInstance", Name: "edge", UID: inst.GetUID(), Controller: &yes, BlockOwnerDeletion: &yes}})
		zeroDivisor(u.Object)
		if _, err := dyn.Resource(gvr).Namespace(ns).Create(ctx, u, metav1.CreateOptions{FieldManager: "kuma-cp"}); err != nil {
			t.Fatal(err)
		}
	}
}

// renderSource is what `render` writes for src.
func renderSource(t *testing.T, src string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "kuma.yaml")
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	rendered, stderr, code := mgi(t, "render", f)
	if code != 0 {
		t.Fatalf("render: %s", stderr)
	}
	return rendered
}

func dynamicClient(t *testing.T) *dynamic.DynamicClient {
	t.Helper()
	dyn, err := dynamic.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	return dyn
}

// zeroDivisor sets divisor "0" in every resourceFieldRef, as Kuma's Go
// client writes the zero Quantity, whatever render writes.
func zeroDivisor(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if m, ok := e.(map[string]any); ok && k == "resourceFieldRef" {
				m["divisor"] = "0"
			}
			zeroDivisor(e)
		}
	case []any:
		for _, e := range x {
			zeroDivisor(e)
		}
	}
}

// TestImportThenTakeOver is the move off Kuma's controller end to end:
// import writes the directory, plan --take-over shows only the takeover,
// apply --take-over keeps the Deployment's generation and pod template,
// and the next plan shows no changes.
func TestImportThenTakeOver(t *testing.T) {
	ctx := context.Background()
	ns, err := env.Namespace(ctx, "import")
	if err != nil {
		t.Fatal(err)
	}
	prepareAsKuma(t, ns)
	dyn, _ := dynamic.NewForConfig(env.Config)
	before, err := dyn.Resource(depGVR).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "gateways")
	out, stderr, code := mgi(t, "import", dir, "-n", ns, "--kubeconfig", env.KubeconfigPath)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	mustContain(t, "import", out, "meshgatewayinstance-"+ns+"-edge.yaml (1 object)", "controlplaneconfig.yaml (1 object)")
	inst, _ := os.ReadFile(filepath.Join(dir, "meshgatewayinstance-"+ns+"-edge.yaml"))
	mustContain(t, "instance file", string(inst), "kuma.io/sidecar-env-vars: FROM_INSTANCE=1", "replicas: 2", "serviceType: ClusterIP")
	mustNotContain(t, "instance file", string(inst), "status", "managedFields", "uid", "resourceVersion", "creationTimestamp", "generation")
	cfg, _ := os.ReadFile(filepath.Join(dir, "controlplaneconfig.yaml"))
	mustContain(t, "config file", string(cfg), "dataplaneImage: docker.io/kumahq/kuma-dp:2.9.3", "kumaVersion: 2.9.3", "drainTime: 45s", `EXTRA_FLAG: "on"`)
	mustNotContain(t, "config file", string(cfg), "FROM_INSTANCE")

	// A second import refuses to overwrite.
	if _, stderr, code := mgi(t, "import", dir, "-n", ns, "--kubeconfig", env.KubeconfigPath); code != 1 || !strings.Contains(stderr, "--overwrite") {
		t.Errorf("second import: exit %d\n%s", code, stderr)
	}

	out, stderr, code = mgi(t, "plan", dir, "--take-over", "-o", "json", "--kubeconfig", env.KubeconfigPath)
	if code != 0 {
		t.Fatalf("plan --take-over: exit %d\n%s", code, stderr)
	}
	checkOnlyTakeOver(t, out)

	out, stderr, code = mgi(t, "apply", dir, "--take-over", "--kubeconfig", env.KubeconfigPath)
	if code != 0 {
		t.Fatalf("apply --take-over: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "apply", out, fmt.Sprintf("MeshGatewayInstance/%s/edge taken over", ns))
	after, err := dyn.Resource(depGVR).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after.GetGeneration() != before.GetGeneration() {
		t.Errorf("Deployment generation %d -> %d: the pods would restart", before.GetGeneration(), after.GetGeneration())
	}
	if len(after.GetOwnerReferences()) != 0 {
		t.Errorf("ownerReferences left: %v", after.GetOwnerReferences())
	}
	// envtest runs no garbage collector: play it for the orphan finalizer.
	if _, err := dyn.Resource(mgiGVR).Namespace(ns).Patch(ctx, "edge", types.MergePatchType, []byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code = mgi(t, "plan", dir, "--detailed-exitcode", "--kubeconfig", env.KubeconfigPath); code != 0 {
		t.Errorf("plan after the takeover: exit %d\n%s%s", code, out, stderr)
	}
}

// checkOnlyTakeOver: a plan -o json holds exactly one take-over, which
// restarts no pods, and nothing else changes.
func checkOnlyTakeOver(t *testing.T, out string) {
	t.Helper()
	var p plan.JSONPlan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	takeovers := 0
	for _, ch := range p.Changes {
		switch ch.Action {
		case plan.TakeOver:
			takeovers++
			if ch.TakeOver == nil || ch.TakeOver.RestartsPods || len(ch.TakeOver.Objects) != 2 {
				t.Errorf("take-over: %+v", ch.TakeOver)
			}
		case plan.Unchanged:
		default:
			t.Errorf("plan after import: %s %s/%s %s\n%s", ch.Action, ch.Object.Kind, ch.Object.Name, ch.Note, ch.Diff)
		}
	}
	if takeovers != 1 {
		t.Errorf("plan after import: %d take-overs\n%s", takeovers, out)
	}
}
