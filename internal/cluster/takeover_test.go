package cluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

var (
	instancesGVR = schema.GroupVersionResource{Group: "kuma.io", Version: "v1alpha1", Resource: "meshgatewayinstances"}
	gatewaysGVR  = schema.GroupVersionResource{Group: "kuma.io", Version: "v1alpha1", Resource: "meshgateways"}
	servicesGVR  = schema.GroupVersionResource{Version: "v1", Resource: "services"}
)

// kumaDir is a directory with one instance and its gateway, named after
// the test's namespace (MeshGateways are cluster-scoped).
func kumaDir(t *testing.T, ns string) string {
	t.Helper()
	dir := t.TempDir()
	doc := strings.ReplaceAll(`apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
  namespace: NS
spec:
  replicas: 1
  serviceType: LoadBalancer
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: NS
spec:
  selectors:
  - match:
      kuma.io/service: edge_NS_svc
  conf:
    listeners:
    - port: 80
      protocol: HTTP
`, "NS", ns)
	if err := os.WriteFile(filepath.Join(dir, "gateway.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// desiredFrom renders dir as plan and apply do.
func desiredFrom(t *testing.T, dir string) ([]Object, []Instance) {
	t.Helper()
	res, err := pipeline.Run(pipeline.Options{Paths: []string{dir}})
	if err != nil || res.Findings.HasErrors() {
		t.Fatalf("render: %v %v", err, res.Findings)
	}
	clean, err := codec.Clean(res.Objects)
	if err != nil {
		t.Fatal(err)
	}
	var objs []Object
	for i, n := range clean {
		m, err := codec.Value(n)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, Object{Unstructured: &unstructured.Unstructured{Object: m}, Source: source.Position(res.Objects[i]).String()})
	}
	var insts []Instance
	for _, r := range res.Instances {
		insts = append(insts, Instance{Namespace: r.Namespace, Name: r.Name, Source: r.Source})
	}
	return objs, insts
}

// asKumaLeavesIt prepares the cluster the way Kuma's controller leaves
// it: the instance and gateway in the cluster; the Deployment and Service
// created (an Update in managedFields) by manager kuma-cp with a
// controller ownerReference to the instance, as Go structs serialise them
// (the zero Quantity divisor "0" in resourceFieldRef), defaulted by the
// server. Kuma 2.13, pkg/plugins/runtime/k8s/controllers/
// gateway_instance_controller.go: ctrl.SetControllerReference, then
// Create/Update with the client of the manager named after the binary.
func asKumaLeavesIt(t *testing.T, ns string, objs []Object) *unstructured.Unstructured {
	t.Helper()
	ctx := context.Background()
	a := admin(t)
	var mgi *unstructured.Unstructured
	for _, o := range objs {
		if o.GetKind() == "MeshGateway" {
			if _, err := a.Resource(gatewaysGVR).Create(ctx, o.DeepCopy(), metav1.CreateOptions{FieldManager: "kubectl-create"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	inst := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "kuma.io/v1alpha1", "kind": "MeshGatewayInstance",
		"metadata": map[string]interface{}{"name": "edge", "namespace": ns},
		"spec":     map[string]interface{}{"replicas": int64(1), "serviceType": "LoadBalancer"},
	}}
	mgi, err := a.Resource(instancesGVR).Namespace(ns).Create(ctx, inst, metav1.CreateOptions{FieldManager: "kubectl-client-side-apply"})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	for _, o := range objs {
		var gvr schema.GroupVersionResource
		switch o.GetKind() {
		case "Deployment":
			gvr = deployments
		case "Service":
			gvr = servicesGVR
		default:
			continue
		}
		u := o.DeepCopy()
		u.SetOwnerReferences([]metav1.OwnerReference{{APIVersion: "kuma.io/v1alpha1", Kind: "MeshGatewayInstance",
			Name: "edge", UID: mgi.GetUID(), Controller: &yes, BlockOwnerDeletion: &yes}})
		kumaWire(u.Object)
		if _, err := a.Resource(gvr).Namespace(ns).Create(ctx, u, metav1.CreateOptions{FieldManager: DefaultKumaManager}); err != nil {
			t.Fatal(err)
		}
	}
	return mgi
}

// kumaWire makes an object what Kuma's Go client sends: encoding a
// ResourceFieldSelector writes its zero Quantity divisor as "0" (Kuma sets
// none). Its ObjectFieldSelectors set apiVersion "v1" (factory.go), as the
// tool renders them.
func kumaWire(v interface{}) {
	switch x := v.(type) {
	case map[string]interface{}:
		for k, e := range x {
			if m, ok := e.(map[string]interface{}); ok && k == "resourceFieldRef" {
				m["divisor"] = "0"
			}
			kumaWire(e)
		}
	case []interface{}:
		for _, e := range x {
			kumaWire(e)
		}
	}
}

func get(t *testing.T, gvr schema.GroupVersionResource, ns, name string) *unstructured.Unstructured {
	t.Helper()
	u, err := admin(t).Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("%s %s/%s: %v", gvr.Resource, ns, name, err)
	}
	return u
}

// playGarbageCollector does what kube-controller-manager's garbage
// collector does for an owner deleted with orphan propagation (envtest runs
// no controllers): drop references to it, then its orphan finalizer.
func playGarbageCollector(t *testing.T, ns string) {
	t.Helper()
	ctx := context.Background()
	a := admin(t)
	mgi, err := a.Resource(instancesGVR).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if apierrors.IsNotFound(err) || err == nil && mgi.GetDeletionTimestamp() == nil {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	patch := []byte(`{"metadata":{"finalizers":null}}`)
	if _, err := a.Resource(instancesGVR).Namespace(ns).Patch(ctx, "edge", types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

// gatewaySafe checks what must hold at every point of a takeover: the
// Deployment and Service exist with the generation and pod template they
// had, and an instance being deleted is being deleted with orphan
// propagation and referenced by nothing.
func gatewaySafe(t *testing.T, ns string, generation int64, template interface{}) {
	t.Helper()
	dep := get(t, deployments, ns, "edge")
	svc := get(t, servicesGVR, ns, "edge")
	if dep.GetGeneration() != generation {
		t.Errorf("Deployment generation %d, want %d: the pods would restart", dep.GetGeneration(), generation)
	}
	if tpl, _, _ := unstructured.NestedFieldNoCopy(dep.Object, "spec", "template"); !reflect.DeepEqual(tpl, template) {
		t.Errorf("the pod template changed:\n%v\nwant\n%v", tpl, template)
	}
	mgi, err := admin(t).Resource(instancesGVR).Namespace(ns).Get(context.Background(), "edge", metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		// A garbage collector deletes whatever still references a
		// deleted owner: nothing may.
		for _, u := range []*unstructured.Unstructured{dep, svc} {
			if refs := u.GetOwnerReferences(); len(refs) != 0 {
				t.Errorf("%s references %v, and the instance is gone", u.GetKind(), refs)
			}
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if mgi.GetDeletionTimestamp() == nil {
		return
	}
	if !reflect.DeepEqual(mgi.GetFinalizers(), []string{metav1.FinalizerOrphanDependents}) {
		t.Errorf("the instance is being deleted with finalizers %v, want only %q: its gateway could be deleted", mgi.GetFinalizers(), metav1.FinalizerOrphanDependents)
	}
	for _, u := range []*unstructured.Unstructured{dep, svc} {
		for _, r := range u.GetOwnerReferences() {
			if r.UID == mgi.GetUID() {
				t.Errorf("%s still references the instance being deleted", u.GetKind())
			}
		}
	}
}

func takeOverState(t *testing.T, ns string) (int64, interface{}) {
	dep := get(t, deployments, ns, "edge")
	tpl, _, _ := unstructured.NestedFieldCopy(dep.Object, "spec", "template")
	return dep.GetGeneration(), tpl
}

// TestTakeOverFromKuma: a gateway as Kuma leaves it is a conflict without
// --take-over, a take-over (and nothing else) with it, and apply
// --take-over moves it without touching the pods.
func TestTakeOverFromKuma(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs, insts := desiredFrom(t, kumaDir(t, ns))
	asKumaLeavesIt(t, ns, objs)
	gen, tpl := takeOverState(t, ns)
	rs := playDeploymentController(t, ns, "edge")

	// Without --take-over: the instance is a conflict naming the fix, and
	// its objects are neither planned nor written.
	opts := DefaultPlanOptions()
	opts.Instances = insts
	p, err := c.Plan(ctx, objs, opts)
	if err != nil {
		t.Fatal(err)
	}
	var live *plan.Change
	for i, ch := range p.Changes {
		if ch.Object.Kind == "Deployment" || ch.Object.Kind == "Service" {
			t.Errorf("plan without --take-over has %s %s", ch.Action, ch.Object)
		}
		if ch.Object.Kind == "MeshGatewayInstance" {
			live = &p.Changes[i]
		}
	}
	if live == nil || live.Action != plan.Conflict || !strings.Contains(live.Note, "--take-over") || !strings.Contains(live.Note, ns+"/edge") {
		t.Fatalf("plan without --take-over: %+v", p.Changes)
	}
	aopts := DefaultApplyOptions()
	aopts.Instances = insts
	_, err = c.Apply(ctx, objs, aopts)
	var lie *LiveInstanceError
	if !errors.As(err, &lie) || !strings.Contains(err.Error(), "nothing was applied") {
		t.Fatalf("apply without --take-over: %v", err)
	}
	for _, mf := range get(t, deployments, ns, "edge").GetManagedFields() {
		if mf.Manager == DefaultFieldManager {
			t.Fatal("apply without --take-over wrote the Deployment")
		}
	}

	// With --take-over: only the takeover, and no pod restarts.
	opts.TakeOver = true
	p, err = c.Plan(ctx, objs, opts)
	if err != nil {
		t.Fatal(err)
	}
	checkOnlyTakeOver(t, p)

	aopts.TakeOver = true
	res, err := c.Apply(ctx, objs, aopts)
	if err != nil {
		t.Fatalf("apply --take-over: %v", err)
	}
	if len(res.TakenOver) != 1 {
		t.Errorf("taken over: %+v", res.TakenOver)
	}
	gatewaySafe(t, ns, gen, tpl)
	checkNoRollout(t, ns, "edge", rs)
	playGarbageCollector(t, ns)
	checkTakenOver(t, c, ns, objs, insts)
	checkNoRollout(t, ns, "edge", rs)
}

// checkOnlyTakeOver: the plan holds one take-over, without pod restarts,
// and every object unchanged.
func checkOnlyTakeOver(t *testing.T, p *plan.Plan) {
	t.Helper()
	n := 0
	for _, ch := range p.Changes {
		switch {
		case ch.Action == plan.TakeOver:
			n++
			if ch.TakeOver.RestartsPods || len(ch.TakeOver.Objects) != 2 {
				t.Errorf("take-over: %+v", ch.TakeOver)
			}
		case ch.Action != plan.Unchanged:
			t.Errorf("plan --take-over: %s %s (conflicts %v)\n%s", ch.Action, ch.Object, ch.Conflicts, ch.Diff)
		}
	}
	if n != 1 {
		t.Errorf("plan --take-over has %d take-over changes, want 1: %+v", n, p.Changes)
	}
}

// checkTakenOver: the instance is gone, the objects are there without an
// ownerReference, and a plan shows no changes.
func checkTakenOver(t *testing.T, c *Client, ns string, objs []Object, insts []Instance) {
	t.Helper()
	ctx := context.Background()
	if _, err := admin(t).Resource(instancesGVR).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the instance is still there: %v", err)
	}
	for _, gvr := range []schema.GroupVersionResource{deployments, servicesGVR} {
		if refs := get(t, gvr, ns, "edge").GetOwnerReferences(); len(refs) != 0 {
			t.Errorf("%s keeps ownerReferences %v", gvr.Resource, refs)
		}
	}
	opts := DefaultPlanOptions()
	opts.Instances = insts
	p, err := c.Plan(ctx, objs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		for _, ch := range p.Changes {
			t.Errorf("plan after the takeover: %s %s %v\n%s", ch.Action, ch.Object, ch.Conflicts, ch.Diff)
		}
	}
}

// TestTakeOverInterrupted stops apply --take-over after each of its steps
// and runs it again: every point is safe and the reruns converge.
func TestTakeOverInterrupted(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs, insts := desiredFrom(t, kumaDir(t, ns))
	asKumaLeavesIt(t, ns, objs)
	gen, tpl := takeOverState(t, ns)
	rs := playDeploymentController(t, ns, "edge")
	errStop := errors.New("interrupted")
	for _, stop := range []TakeOverStep{StepOwnership, StepOwnerReference, StepDeleteInstance} {
		opts := DefaultApplyOptions()
		opts.Instances, opts.TakeOver = insts, true
		opts.Interrupt = func(step TakeOverStep, _ object.Ref) error {
			if step == stop {
				return errStop
			}
			return nil
		}
		if _, err := c.Apply(ctx, objs, opts); !errors.Is(err, errStop) {
			t.Fatalf("apply --take-over stopped after %s: %v", stop, err)
		}
		gatewaySafe(t, ns, gen, tpl)
		checkNoRollout(t, ns, "edge", rs)
		if t.Failed() {
			t.Fatalf("unsafe after %s", stop)
		}
	}
	// The instance is being deleted (no garbage collector yet): a rerun
	// finishes what is left.
	opts := DefaultApplyOptions()
	opts.Instances, opts.TakeOver = insts, true
	if _, err := c.Apply(ctx, objs, opts); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	gatewaySafe(t, ns, gen, tpl)
	playGarbageCollector(t, ns)
	checkTakenOver(t, c, ns, objs, insts)
	checkNoRollout(t, ns, "edge", rs)
}

// TestPlainApplyOverKumaObjects: Kuma's objects whose instance is gone
// (deleted by hand with orphan propagation) still carry kuma-cp's
// ownership of every field, the atomic resourceFieldRef included. A plain
// apply, with neither --take-over nor --force-conflicts, must not conflict
// on any of them: what the tool renders, divisor "0" included, is what
// Kuma sent.
func TestPlainApplyOverKumaObjects(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs, insts := desiredFrom(t, kumaDir(t, ns))
	asKumaLeavesIt(t, ns, objs)
	gen, tpl := takeOverState(t, ns)
	orphan := metav1.DeletePropagationOrphan
	if err := admin(t).Resource(instancesGVR).Namespace(ns).Delete(ctx, "edge", metav1.DeleteOptions{PropagationPolicy: &orphan}); err != nil {
		t.Fatal(err)
	}
	// The garbage collector drops the references to the deleted owner.
	for _, gvr := range []schema.GroupVersionResource{deployments, servicesGVR} {
		patch := []byte(`{"metadata":{"ownerReferences":null}}`)
		if _, err := admin(t).Resource(gvr).Namespace(ns).Patch(ctx, "edge", types.MergePatchType, patch, metav1.PatchOptions{FieldManager: "kube-controller-manager"}); err != nil {
			t.Fatal(err)
		}
	}
	playGarbageCollector(t, ns)

	opts := DefaultPlanOptions()
	opts.Instances = insts
	p, err := c.Plan(ctx, objs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range p.Changes {
		if len(ch.Conflicts) > 0 || ch.Action == plan.Conflict {
			t.Errorf("plan over Kuma's objects: %s %s conflicts %v", ch.Action, ch.Object, ch.Conflicts)
		}
	}
	aopts := DefaultApplyOptions()
	aopts.Instances = insts
	if _, err := c.Apply(ctx, objs, aopts); err != nil {
		t.Fatalf("plain apply over Kuma's objects: %v", err)
	}
	if g, tp := takeOverState(t, ns); g != gen || !reflect.DeepEqual(tp, tpl) {
		t.Errorf("plain apply changed the pod template (generation %d, want %d)", g, gen)
	}
}
