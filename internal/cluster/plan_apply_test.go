package cluster

import (
	"context"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

const gatewayDocs = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS}
spec:
  replicas: 2
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers:
      - name: kuma-gateway
        image: kuma/kuma-dp:2.9.0
        args: [run, --log-level=info]
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: NS, annotations: {kuma.io/gateway: builtin}}
spec:
  selector: {app: edge}
  ports: [{name: "8080", port: 8080, targetPort: 8080, protocol: TCP}]
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: NS-gw}
mesh: default
spec:
  selectors: [{match: {kuma.io/service: edge_NS_svc}}]
  conf: {listeners: [{port: 8080, protocol: HTTP}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: NS}
data: {a: "1", b: "2"}
`

func actions(p *plan.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, string(c.Action)+" "+c.Object.String())
	}
	return out
}

func applied(r *ApplyResult) []string {
	var out []string
	for _, a := range r.Applied {
		out = append(out, a.Object.String()+" "+a.Action.Done())
	}
	return out
}

func equalLists(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestCreateApplyThenNoChanges(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, gatewayDocs)

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Apply order, whatever the input order.
	equalLists(t, "first plan", actions(p), []string{
		"create ConfigMap/" + ns + "/settings",
		"create MeshGateway/" + ns + "-gw",
		"create Service/" + ns + "/edge",
		"create Deployment/" + ns + "/edge",
	})
	dep := p.Changes[3]
	if dep.Source != "doc:0" || dep.Before != "" {
		t.Errorf("create: source %q, before %q", dep.Source, dep.Before)
	}
	// The dry-run result carries the server's defaults.
	for _, want := range []string{"+++ desired/Deployment/" + ns + "/edge", "+  replicas: 2", "+      terminationGracePeriodSeconds: 30"} {
		if !strings.Contains(dep.Diff, want) {
			t.Errorf("create diff lacks %q:\n%s", want, dep.Diff)
		}
	}
	if _, err := admin(t).Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(ns).Get(ctx, "settings", metav1.GetOptions{}); err == nil {
		t.Fatal("plan created an object")
	}

	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "apply", applied(res), []string{
		"ConfigMap/" + ns + "/settings created",
		"MeshGateway/" + ns + "-gw created",
		"Service/" + ns + "/edge created",
		"Deployment/" + ns + "/edge created",
	})
	if len(res.NotApplied) != 0 {
		t.Errorf("not applied: %v", res.NotApplied)
	}

	p, err = c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("plan after apply has changes: %v\n%s", actions(p), p.Changes[0].Diff)
	}

	res, err = c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Applied {
		if a.Action != plan.Unchanged {
			t.Errorf("rerun: %s %s, want unchanged", a.Object, a.Action)
		}
	}
}

func TestUpdateShowsDiffAndConfigures(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	if _, err := c.Apply(ctx, objects(t, ns, gatewayDocs), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(strings.Replace(gatewayDocs, "replicas: 2", "replicas: 3", 1), `b: "2"`, `c: "3"`, 1)
	objs := objects(t, ns, changed)

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{
		"update ConfigMap/" + ns + "/settings",
		"unchanged MeshGateway/" + ns + "-gw",
		"unchanged Service/" + ns + "/edge",
		"update Deployment/" + ns + "/edge",
	})
	// Removing b from the directory removes it: kubectl-mgi owns it.
	for _, want := range []string{"-  b: \"2\"", "+  c: \"3\""} {
		if !strings.Contains(p.Changes[0].Diff, want) {
			t.Errorf("configmap diff lacks %q:\n%s", want, p.Changes[0].Diff)
		}
	}
	if !strings.Contains(p.Changes[3].Diff, "-  replicas: 2\n+  replicas: 3") {
		t.Errorf("deployment diff:\n%s", p.Changes[3].Diff)
	}

	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "apply", applied(res), []string{
		"ConfigMap/" + ns + "/settings configured",
		"MeshGateway/" + ns + "-gw unchanged",
		"Service/" + ns + "/edge unchanged",
		"Deployment/" + ns + "/edge configured",
	})
	// What plan showed is what the cluster now holds.
	for i, a := range res.Applied {
		if got := normalizedYAML(t, a.Result); got != p.Changes[i].After {
			t.Errorf("%s: applied object differs from the plan:\n%s", a.Object, got)
		}
	}
}

func TestServerDryRunChangesNothing(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	opts := DefaultApplyOptions()
	opts.DryRun = true
	res, err := c.Apply(ctx, objects(t, ns, gatewayDocs), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 4 || !res.DryRun {
		t.Fatalf("dry-run result: %+v", applied(res))
	}
	for _, a := range res.Applied {
		if a.Action != plan.Create {
			t.Errorf("%s %s, want created", a.Object, a.Action)
		}
	}
	list, err := admin(t).Resource(schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}).Namespace(ns).List(ctx, metav1.ListOptions{})
	if err != nil || len(list.Items) != 0 {
		t.Errorf("dry-run left %d deployments (err %v)", len(list.Items), err)
	}
}

func TestOrderIsDeterministicUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	var docs []string
	var want []string
	for i := 29; i >= 0; i-- {
		docs = append(docs, fmt.Sprintf("{apiVersion: v1, kind: ConfigMap, metadata: {name: cm-%02d, namespace: NS}, data: {i: %q}}", i, fmt.Sprint(i)))
	}
	for i := 0; i < 30; i++ {
		want = append(want, fmt.Sprintf("create ConfigMap/%s/cm-%02d", ns, i))
	}
	objs := objects(t, ns, strings.Join(docs, "\n---\n"))
	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), want)
	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range res.Applied {
		if got := "create " + a.Object.String(); got != want[i] {
			t.Errorf("apply result %d is %s, want %s", i, got, want[i])
		}
	}
	// The live objects are now read in one LIST (30 in one namespace).
	p, err = c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil || p.HasChanges() {
		t.Fatalf("plan after apply: %v %v", actions(p), err)
	}
	// With a few of them changed, and many more live objects than the
	// directory has (the LIST is abandoned for GETs), the plan is the same.
	few := append([]Object(nil), objs[:5]...)
	for _, o := range few {
		o.Object["data"] = map[string]interface{}{"i": "changed"}
	}
	p, err = c.Plan(ctx, few, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan of five", actions(p), []string{
		"update ConfigMap/" + ns + "/cm-25", "update ConfigMap/" + ns + "/cm-26", "update ConfigMap/" + ns + "/cm-27",
		"update ConfigMap/" + ns + "/cm-28", "update ConfigMap/" + ns + "/cm-29",
	})
}

func TestSecretsMaskedUnlessAsked(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	secret := "{apiVersion: v1, kind: Secret, metadata: {name: tls, namespace: NS}, stringData: {key: PASSWORD}}"
	if _, err := c.Apply(ctx, objects(t, ns, strings.Replace(secret, "PASSWORD", "hunter2", 1)), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	same, err := c.Plan(ctx, objects(t, ns, strings.Replace(secret, "PASSWORD", "hunter2", 1)), DefaultPlanOptions())
	if err != nil || same.HasChanges() {
		t.Errorf("plan of the applied secret (stringData): %v %v", actions(same), err)
	}
	objs := objects(t, ns, strings.Replace(secret, "PASSWORD", "correct-horse", 1))

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	ch := p.Changes[0]
	if ch.Action != plan.Update {
		t.Fatalf("changed secret: %s", ch.Action)
	}
	for _, s := range []string{ch.Diff, ch.Before, ch.After} {
		if strings.Contains(s, "aHVudGVyMg") || strings.Contains(s, "Y29ycmVjdC1ob3JzZQ") {
			t.Errorf("secret value shown:\n%s", s)
		}
	}
	opts := DefaultPlanOptions()
	opts.ShowSecrets = true
	if p, err = c.Plan(ctx, objs, opts); err != nil {
		t.Fatal(err)
	}
	// data holds base64: hunter2 → aHVudGVyMg==, correct-horse → Y29ycmVjdC1ob3JzZQ==.
	if d := p.Changes[0].Diff; !strings.Contains(d, "-  key: aHVudGVyMg==") || !strings.Contains(d, "+  key: Y29ycmVjdC1ob3JzZQ==") {
		t.Errorf("--show-secrets diff:\n%s", d)
	}
}
