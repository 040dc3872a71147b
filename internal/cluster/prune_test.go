package cluster

import (
	"context"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	secrets      = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
	meshGateways = schema.GroupVersionResource{Group: "kuma.io", Version: "v1alpha1", Resource: "meshgateways"}
)

// clientIn is a client whose default namespace (-n) is ns, where the
// ApplySet parent lives.
func clientIn(t *testing.T, ns string) *Client {
	t.Helper()
	f := flagsFor(env.KubeconfigPath)
	f.Namespace = &ns
	c, err := New(context.Background(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pruneOpts(set string) ApplyOptions {
	o := DefaultApplyOptions()
	o.ApplySet, o.Prune = set, true
	return o
}

func pruned(r *ApplyResult) []string {
	var out []string
	for _, a := range r.Pruned {
		out = append(out, a.Object.String()+" "+a.Action.Done())
	}
	return out
}

// without drops the objects named kind/name.
func without(objs []Object, kindName string) []Object {
	var out []Object
	for _, o := range objs {
		if o.GetKind()+"/"+o.GetName() != kindName {
			out = append(out, o)
		}
	}
	return out
}

func exists(t *testing.T, gvr schema.GroupVersionResource, ns, name string) bool {
	t.Helper()
	_, err := admin(t).Resource(gvr).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		t.Fatal(err)
	}
	return err == nil
}

// create writes an object as another client would.
func create(t *testing.T, gvr schema.GroupVersionResource, ns, doc string) {
	t.Helper()
	o := objects(t, ns, doc)[0]
	if _, err := admin(t).Resource(gvr).Namespace(o.GetNamespace()).Create(context.Background(), o.Unstructured, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

const memberDocs = `
apiVersion: v1
kind: ConfigMap
metadata: {name: keep, namespace: NS}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: old, namespace: NS}
data: {b: "2"}
` + deploymentDocOne

const deploymentDocOne = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS, labels: {app: edge}}
spec:
  replicas: 1
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers: [{name: kuma-gateway, image: kuma/kuma-dp:2.9.0}]
`

func TestPruneDeletesOnlyMembersNoLongerInTheDirectory(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	objs := objects(t, ns, memberDocs)
	res, err := c.Apply(ctx, objs, pruneOpts("gateways"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pruned) != 0 {
		t.Errorf("first apply pruned %v", pruned(res))
	}
	set := ApplySet{Kind: "Secret", Name: "gateways", Namespace: ns}
	parent, err := admin(t).Resource(secrets).Namespace(ns).Get(ctx, "gateways", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if parent.GetLabels()[ApplySetIDLabel] != set.ID() ||
		parent.GetAnnotations()[ApplySetGroupKindsAnnotation] != "ConfigMap,Deployment.apps" ||
		parent.GetAnnotations()[ApplySetToolingAnnotation] != "kubectl-mgi/v0" {
		t.Errorf("parent: labels %v annotations %v", parent.GetLabels(), parent.GetAnnotations())
	}
	live, err := admin(t).Resource(deployments).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if live.GetLabels()[ApplySetPartOfLabel] != set.ID() || !ownsPartOf(live, DefaultFieldManager) {
		t.Errorf("member labels %v, managed fields %v", live.GetLabels(), live.GetManagedFields())
	}

	// Same kind, same namespace, not in the set: never pruned.
	create(t, configmaps, ns, "{apiVersion: v1, kind: ConfigMap, metadata: {name: stranger, namespace: NS}}")
	create(t, configmaps, ns, "{apiVersion: v1, kind: ConfigMap, metadata: {name: other-set, namespace: NS, labels: {applyset.kubernetes.io/part-of: applyset-other-v1}}}")

	smaller := without(objs, "ConfigMap/old")
	p, err := c.Plan(ctx, smaller, PlanOptions{ApplySet: "gateways"})
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{
		"unchanged ConfigMap/" + ns + "/keep",
		"unchanged Deployment/" + ns + "/edge",
		"delete ConfigMap/" + ns + "/old",
	})
	del := p.Changes[2]
	if !strings.Contains(del.Diff, "-  b: \"2\"") || del.After != "" || !strings.Contains(del.Before, "name: old") {
		t.Errorf("delete change: diff\n%s\nafter %q", del.Diff, del.After)
	}

	dry := pruneOpts("gateways")
	dry.DryRun = true
	if res, err = c.Apply(ctx, smaller, dry); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "dry-run pruned", pruned(res), []string{"ConfigMap/" + ns + "/old pruned"})
	if !exists(t, configmaps, ns, "old") {
		t.Fatal("a dry-run deleted ConfigMap old")
	}

	if res, err = c.Apply(ctx, smaller, pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "pruned", pruned(res), []string{"ConfigMap/" + ns + "/old pruned"})
	for name, want := range map[string]bool{"old": false, "keep": true, "stranger": true, "other-set": true} {
		if got := exists(t, configmaps, ns, name); got != want {
			t.Errorf("ConfigMap %s exists = %v, want %v", name, got, want)
		}
	}

	// Dropping the last Deployment removes its kind from the parent.
	if res, err = c.Apply(ctx, without(smaller, "Deployment/edge"), pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "pruned", pruned(res), []string{"Deployment/" + ns + "/edge pruned"})
	parent, err = admin(t).Resource(secrets).Namespace(ns).Get(ctx, "gateways", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := parent.GetAnnotations()[ApplySetGroupKindsAnnotation]; got != "ConfigMap" {
		t.Errorf("contains-group-kinds = %q, want ConfigMap", got)
	}
}

// ownsPartOf reports whether manager owns the part-of label.
func ownsPartOf(u *unstructured.Unstructured, manager string) bool {
	for _, e := range u.GetManagedFields() {
		if e.Manager == manager && e.FieldsV1 != nil && strings.Contains(e.FieldsV1.GetRawString(), `"f:`+ApplySetPartOfLabel+`"`) {
			return true
		}
	}
	return false
}

func TestPruneNeedsAnApplySetName(t *testing.T) {
	c := clientIn(t, "default")
	opts := DefaultApplyOptions()
	opts.Prune = true
	_, err := c.Apply(context.Background(), nil, opts)
	if err == nil || !strings.HasPrefix(err.Error(), "--prune needs --applyset NAME") {
		t.Errorf("err = %v", err)
	}
}

func TestParentOfAnotherToolIsRefused(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	set := ApplySet{Kind: "Secret", Name: "theirs", Namespace: ns}
	// The id goes in after the NS placeholder is replaced: a base64 id may
	// itself contain "NS".
	parent := objects(t, ns, `{apiVersion: v1, kind: Secret, metadata: {name: theirs, namespace: NS,
  annotations: {applyset.kubernetes.io/tooling: kubectl/v1.32.0, applyset.kubernetes.io/contains-group-kinds: ConfigMap}}}`)[0]
	parent.SetLabels(map[string]string{ApplySetIDLabel: set.ID()})
	if _, err := admin(t).Resource(secrets).Namespace(ns).Create(ctx, parent.Unstructured, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	objs := objects(t, ns, memberDocs)
	want := "Secret/" + ns + "/theirs: this ApplySet is managed by kubectl/v1.32.0, not kubectl-mgi: use that tool to apply and prune it, or choose another --applyset name"
	res, err := c.Apply(ctx, objs, pruneOpts("theirs"))
	if err == nil || err.Error() != want {
		t.Errorf("apply: err = %v\nwant %s", err, want)
	}
	if len(res.Applied) != 0 || len(res.NotApplied) != len(objs) || exists(t, configmaps, ns, "keep") {
		t.Errorf("applied %v, not applied %d", applied(res), len(res.NotApplied))
	}
	if _, err := c.Plan(ctx, objs, PlanOptions{ApplySet: "secrets/theirs"}); err == nil || err.Error() != want {
		t.Errorf("plan: err = %v", err)
	}
	// A Secret that is no parent at all is not taken over either.
	create(t, secrets, ns, "{apiVersion: v1, kind: Secret, metadata: {name: plain, namespace: NS}}")
	if _, err := c.Apply(ctx, objs, pruneOpts("plain")); err == nil || !strings.Contains(err.Error(), "is not an ApplySet parent") {
		t.Errorf("plain Secret: err = %v", err)
	}
}

func TestPruneAcrossNamespacesAndCRDKinds(t *testing.T) {
	ctx := context.Background()
	ns, other := namespace(t), namespace(t)
	c := clientIn(t, ns)
	docs := `
apiVersion: v1
kind: ConfigMap
metadata: {name: here, namespace: NS}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: there, namespace: OTHER}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: NS-gw}
mesh: default
spec:
  selectors: [{match: {kuma.io/service: edge}}]
  conf: {listeners: [{port: 8080, protocol: HTTP}]}
`
	objs := objects(t, ns, strings.ReplaceAll(docs, "OTHER", other))
	if _, err := c.Apply(ctx, objs, pruneOpts("configmaps/multi")); err != nil {
		t.Fatal(err)
	}
	parent, err := admin(t).Resource(configmaps).Namespace(ns).Get(ctx, "multi", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ann := parent.GetAnnotations()
	if ann[ApplySetNamespacesAnnotation] != other || ann[ApplySetGroupKindsAnnotation] != "ConfigMap,MeshGateway.kuma.io" {
		t.Errorf("parent annotations %v", ann)
	}
	// A MeshGateway of no set stays.
	create(t, meshGateways, "", "{apiVersion: kuma.io/v1alpha1, kind: MeshGateway, metadata: {name: "+ns+"-stranger}, mesh: default, spec: {selectors: [{match: {kuma.io/service: x}}], conf: {listeners: [{port: 80, protocol: HTTP}]}}}")
	t.Cleanup(func() {
		_ = admin(t).Resource(meshGateways).Delete(context.Background(), ns+"-stranger", metav1.DeleteOptions{})
	})

	keep := []Object{objs[0]}
	p, err := c.Plan(ctx, keep, PlanOptions{ApplySet: "configmaps/multi"})
	if err != nil {
		t.Fatal(err)
	}
	wantPlan := []string{"unchanged ConfigMap/" + ns + "/here", "delete MeshGateway/" + ns + "-gw", "delete ConfigMap/" + other + "/there"}
	equalLists(t, "plan", actions(p), wantPlan)
	res, err := c.Apply(ctx, keep, pruneOpts("configmaps/multi"))
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "pruned", pruned(res), []string{"MeshGateway/" + ns + "-gw pruned", "ConfigMap/" + other + "/there pruned"})
	if exists(t, configmaps, other, "there") || exists(t, meshGateways, "", ns+"-gw") || !exists(t, meshGateways, "", ns+"-stranger") {
		t.Error("prune deleted the wrong objects")
	}
	parent, err = admin(t).Resource(configmaps).Namespace(ns).Get(ctx, "multi", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ann := parent.GetAnnotations(); ann[ApplySetNamespacesAnnotation] != "" || ann[ApplySetGroupKindsAnnotation] != "ConfigMap" {
		t.Errorf("parent annotations after prune %v", ann)
	}
	if p, err = c.Plan(ctx, keep, PlanOptions{ApplySet: "configmaps/multi"}); err != nil || p.HasChanges() {
		t.Errorf("plan after prune: %v %v", actions(p), err)
	}
}
