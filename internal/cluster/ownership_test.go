package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

var (
	deployments = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	configmaps  = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
)

// applyAs server-side applies one object as another field manager (the
// Kuma control plane, another tool).
func applyAs(t *testing.T, manager string, gvr schema.GroupVersionResource, o Object) {
	t.Helper()
	body, err := o.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin(t).Resource(gvr).Namespace(o.GetNamespace()).Patch(context.Background(), o.GetName(),
		types.ApplyPatchType, body, metav1.PatchOptions{FieldManager: manager})
	if err != nil {
		t.Fatal(err)
	}
}

const deploymentDoc = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS, labels: {app: edge}}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers:
      - name: kuma-gateway
        image: kuma/kuma-dp:2.9.0
`

func deployment(t *testing.T, ns, replicas string) []Object {
	return objects(t, ns, strings.Replace(deploymentDoc, "REPLICAS", replicas, 1))
}

func TestConflictWithAnotherManager(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	// kuma-cp wrote the Deployment first, with 3 replicas.
	applyAs(t, "kuma-cp", deployments, deployment(t, ns, "3")[0])
	objs := deployment(t, ns, "2")

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	ch := p.Changes[0]
	want := []plan.FieldConflict{{Field: ".spec.replicas", Manager: "kuma-cp"}}
	if ch.Action != plan.Conflict || len(ch.Conflicts) != 1 || ch.Conflicts[0] != want[0] {
		t.Fatalf("plan: %s %+v, want conflict %+v", ch.Action, ch.Conflicts, want)
	}
	// The diff previews --force-conflicts (a forced dry-run): replicas
	// go from 3 to 2, and the live object is untouched.
	if !strings.Contains(ch.Before, "replicas: 3") || !strings.Contains(ch.After, "replicas: 2") {
		t.Errorf("conflict: before %q after %q", ch.Before, ch.After)
	}
	if !strings.Contains(ch.Diff, "\n-  replicas: 3\n+  replicas: 2\n") {
		t.Errorf("conflict diff:\n%s", ch.Diff)
	}
	if live, err := admin(t).Resource(deployments).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{}); err != nil || replicasOwner(t, live) != "kuma-cp" {
		t.Errorf("the preview changed the live object: %v", err)
	}

	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("apply without force: err = %v, want a ConflictError", err)
	}
	wantMsg := "Deployment/" + ns + `/edge: conflicts with other field managers: .spec.replicas (owned by "kuma-cp"); use --force-conflicts to take ownership`
	if err.Error() != wantMsg {
		t.Errorf("error:\n%s\nwant:\n%s", err, wantMsg)
	}
	if len(res.Applied) != 0 || len(res.NotApplied) != 1 {
		t.Errorf("applied %v, not applied %d", applied(res), len(res.NotApplied))
	}

	opts := DefaultApplyOptions()
	opts.Force = true
	res, err = c.Apply(ctx, objs, opts)
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "forced apply", applied(res), []string{"Deployment/" + ns + "/edge configured"})
	live, err := admin(t).Resource(deployments).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _ := unstructured.NestedInt64(live.Object, "spec", "replicas"); r != 2 {
		t.Errorf("replicas = %d after forced apply, want 2", r)
	}
	if owner := replicasOwner(t, live); owner != DefaultFieldManager {
		t.Errorf(".spec.replicas owned by %q, want %q", owner, DefaultFieldManager)
	}
	// Ownership taken: no conflict any more.
	if p, err = c.Plan(ctx, objs, DefaultPlanOptions()); err != nil || p.HasChanges() {
		t.Errorf("plan after forced apply: %v %v", actions(p), err)
	}
}

// replicasOwner is the Apply manager that owns .spec.replicas.
func replicasOwner(t *testing.T, live *unstructured.Unstructured) string {
	t.Helper()
	for _, e := range live.GetManagedFields() {
		if e.Operation == metav1.ManagedFieldsOperationApply && e.FieldsV1 != nil && strings.Contains(e.FieldsV1.GetRawString(), `"f:replicas"`) {
			return e.Manager
		}
	}
	return ""
}

// createClientSideApplied creates u the way `kubectl apply` (client side)
// does: a create by manager kubectl-client-side-apply carrying the
// last-applied-configuration annotation.
func createClientSideApplied(t *testing.T, gvr schema.GroupVersionResource, u *unstructured.Unstructured) {
	t.Helper()
	last, err := json.Marshal(u.Object)
	if err != nil {
		t.Fatal(err)
	}
	u = u.DeepCopy()
	ann := u.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[lastAppliedAnnotation] = string(last)
	u.SetAnnotations(ann)
	_, err = admin(t).Resource(gvr).Namespace(u.GetNamespace()).Create(context.Background(), u,
		metav1.CreateOptions{FieldManager: "kubectl-client-side-apply"})
	if err != nil {
		t.Fatal(err)
	}
}

func TestClientSideApplyMigration(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	old := objects(t, ns, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS, labels: {app: edge, team: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers:
      - name: kuma-gateway
        image: kuma/kuma-dp:2.9.0
        env: [{name: KUMA_DEBUG, value: "1"}]
`)[0]
	createClientSideApplied(t, deployments, old.Unstructured)
	// The directory no longer sets the team label nor the env variable,
	// and wants 2 replicas where kubectl-client-side-apply set 3.
	objs := deployment(t, ns, "2")

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	ch := p.Changes[0]
	if ch.Action != plan.Update {
		t.Fatalf("plan: %s %+v, want update (no conflict with the migrated manager)", ch.Action, ch.Conflicts)
	}
	for _, want := range []string{"-    team: web", "-  replicas: 3", "+  replicas: 2", "-        - name: KUMA_DEBUG"} {
		if !strings.Contains(ch.Diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, ch.Diff)
		}
	}
	// Defaults owned by the client-side manager come back: only what the
	// directory dropped is removed.
	if !strings.Contains(ch.After, "terminationMessagePath: /dev/termination-log") {
		t.Errorf("defaults lost in the plan:\n%s", ch.After)
	}

	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "apply", applied(res), []string{"Deployment/" + ns + "/edge configured"})
	live, err := admin(t).Resource(deployments).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := normalizedYAML(t, live); got != ch.After {
		t.Errorf("the cluster holds something else than the plan said:\nplan:\n%s\nlive:\n%s", ch.After, got)
	}
	for _, e := range live.GetManagedFields() {
		if e.Manager == "kubectl-client-side-apply" {
			t.Errorf("client-side manager still owns fields: %s", e.FieldsV1.GetRawString())
		}
	}
	if p, err = c.Plan(ctx, objs, DefaultPlanOptions()); err != nil || p.HasChanges() {
		t.Errorf("plan after migration: %v %v\n%s", actions(p), err, p.Changes[0].Diff)
	}
}
