package cluster

import (
	"context"
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

const immutableDocs = `
apiVersion: v1
kind: ConfigMap
metadata: {name: frozen, namespace: NS}
immutable: true
data: {mode: a}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: NS}
spec:
  clusterIP: 10.0.0.91
  ports: [{name: http, port: 80}]
  selector: {app: edge}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS}
spec:
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers: [{name: kuma-gateway, image: kuma/kuma-dp:2.9.0}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: plain, namespace: NS}
data: {mode: a}
`

// changedImmutable is immutableDocs with every immutable field changed,
// the plain ConfigMap changed, and one object the server rejects.
func changedImmutable(ns string) string {
	d := strings.NewReplacer(
		"data: {mode: a}\n---\napiVersion: v1\nkind: Service", "data: {mode: b}\n---\napiVersion: v1\nkind: Service",
		"10.0.0.91", "10.0.0.92",
		"matchLabels: {app: edge}", "matchLabels: {app: edge, tier: gw}",
		"labels: {app: edge}}", "labels: {app: edge, tier: gw}}",
		"name: plain, namespace: NS}\ndata: {mode: a}", "name: plain, namespace: NS}\ndata: {mode: c}",
	).Replace(immutableDocs)
	return d + "---\napiVersion: v1\nkind: Service\nmetadata: {name: bad, namespace: NS}\nspec: {ports: [{port: 70000}]}\n"
}

func TestPlanShowsReplaceAndErrorBesideTheRest(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	if _, err := c.Apply(ctx, objects(t, ns, immutableDocs), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan(ctx, objects(t, ns, changedImmutable(ns)), DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{
		"replace ConfigMap/" + ns + "/frozen",
		"update ConfigMap/" + ns + "/plain",
		"error Service/" + ns + "/bad",
		"replace Service/" + ns + "/edge",
		"replace Deployment/" + ns + "/edge",
	})
	for _, ch := range p.Changes {
		t.Logf("%s: %s", ch.Object, ch.Reason)
	}
	byName := map[string]plan.Change{}
	for _, ch := range p.Changes {
		byName[ch.Object.Kind+"/"+ch.Object.Name] = ch
	}
	frozen := byName["ConfigMap/frozen"]
	if !strings.Contains(frozen.Reason, "immutable") || !strings.Contains(frozen.Diff, "-  mode: a") || !strings.Contains(frozen.Diff, "+  mode: b") {
		t.Errorf("frozen: reason %q diff\n%s", frozen.Reason, frozen.Diff)
	}
	if svc := byName["Service/edge"]; !strings.Contains(svc.Diff, "+  clusterIP: 10.0.0.92") || strings.Contains(svc.Diff, "sessionAffinity") {
		t.Errorf("service diff (only the directory's fields):\n%s", svc.Diff)
	}
	bad := byName["Service/bad"]
	if bad.Source != "doc:4" || !strings.Contains(bad.Reason, "70000") || bad.Diff != "" {
		t.Errorf("bad: %+v", bad)
	}
	if !p.HasErrors() || p.Summary()[plan.Replace] != 3 {
		t.Errorf("plan has errors %v (plan exits 1 on them), summary %v", p.HasErrors(), p.Summary())
	}
}

func TestApplyRefusesReplaceUnlessRecreate(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	// Cluster IPs of their own: TestPlanShowsReplaceAndErrorBesideTheRest
	// holds .91.
	ips := strings.NewReplacer("10.0.0.91", "10.0.0.93", "10.0.0.92", "10.0.0.94")
	if _, err := c.Apply(ctx, objects(t, ns, ips.Replace(immutableDocs)), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	// Only the immutable changes and a plain one (no rejected object).
	changed := ips.Replace(strings.SplitN(changedImmutable(ns), "---\napiVersion: v1\nkind: Service\nmetadata: {name: bad", 2)[0])
	before, err := admin(t).Resource(servicesGVR).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Apply(ctx, objects(t, ns, changed), DefaultApplyOptions())
	var re *ReplaceError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "--recreate") || len(res.Applied) != 0 {
		t.Fatalf("apply: %v (%T), applied %v", err, err, applied(res))
	}
	if cm, _ := admin(t).Resource(configmaps).Namespace(ns).Get(ctx, "plain", metav1.GetOptions{}); cm.Object["data"].(map[string]interface{})["mode"] != "a" {
		t.Fatal("a refused apply changed ConfigMap plain")
	}

	opts := DefaultApplyOptions()
	opts.Recreate = true
	if res, err = c.Apply(ctx, objects(t, ns, changed), opts); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "applied", applied(res), []string{
		"ConfigMap/" + ns + "/frozen recreated",
		"ConfigMap/" + ns + "/plain configured",
		"Service/" + ns + "/edge recreated",
		"Deployment/" + ns + "/edge recreated",
	})
	after, err := admin(t).Resource(servicesGVR).Namespace(ns).Get(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ip, _, _ := unstructured.NestedString(after.Object, "spec", "clusterIP"); ip != "10.0.0.94" || after.GetUID() == before.GetUID() {
		t.Errorf("service: clusterIP %s, uid %s (was %s)", ip, after.GetUID(), before.GetUID())
	}
	p, err := c.Plan(ctx, objects(t, ns, changed), DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("plan after --recreate: %v", actions(p))
	}
}
