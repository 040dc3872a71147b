package cluster

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// TestApplyIsNoOp checks the plan shortcut against what the server holds:
// it may only say "no change" when applying again really changes nothing.
func TestApplyIsNoOp(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, gatewayDocs)
	if _, err := c.Apply(ctx, objs, DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	deployments := schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	live := func() *unstructured.Unstructured {
		u, err := admin(t).Resource(deployments).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	desired := objs[0].Unstructured
	if desired.GetKind() != "Deployment" {
		t.Fatalf("first object is %s, want the Deployment", desired.GetKind())
	}
	if !applyIsNoOp(live(), desired, DefaultFieldManager) {
		t.Error("the object just applied is not recognised as unchanged")
	}
	if applyIsNoOp(live(), desired, "someone-else") {
		t.Error("another manager's apply taken as a no-op")
	}
	changed := desired.DeepCopy()
	if err := unstructured.SetNestedField(changed.Object, int64(3), "spec", "replicas"); err != nil {
		t.Fatal(err)
	}
	if applyIsNoOp(live(), changed, DefaultFieldManager) {
		t.Error("a changed replica count taken as a no-op")
	}
	dropped := desired.DeepCopy()
	unstructured.RemoveNestedField(dropped.Object, "spec", "replicas")
	if applyIsNoOp(live(), dropped, DefaultFieldManager) {
		t.Error("a removed field taken as a no-op (apply would release it)")
	}
	// Another tool updates a field the tool owns: ownership moves, so the
	// shortcut must step aside and let the server report the change.
	patch := []byte(`{"spec":{"replicas":7}}`)
	if _, err := admin(t).Resource(deployments).Namespace(ns).Patch(ctx, "edge", types.MergePatchType, patch, metav1.PatchOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
	if applyIsNoOp(live(), desired, DefaultFieldManager) {
		t.Error("a field changed by another manager taken as a no-op")
	}
	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	// The server's answer: kubectl-edit now owns spec.replicas.
	if got := p.Changes[len(p.Changes)-1]; got.Object.Kind != "Deployment" || got.Action != "conflict" {
		t.Errorf("plan after the out-of-band edit: %s %s, want a conflict on the Deployment", got.Action, got.Object)
	}
	// Kinds without a schema in client-go always ask the server.
	for _, o := range objs {
		if o.GetKind() == "MeshGateway" && applyIsNoOp(o.Unstructured, o.Unstructured, DefaultFieldManager) {
			t.Error("a MeshGateway (no client-go schema) taken as a no-op")
		}
	}
}
