package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// uniqueName is a DNS label unique to this test run.
func uniqueName(prefix string) string {
	return prefix + "-" + strings.ToLower(time.Now().Format("150405.000000000")[7:])
}

func TestFreshNamespaceIsCreatedFirst(t *testing.T) {
	ctx := context.Background()
	ns := uniqueName("fresh")
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: NS}
data: {a: "1"}
---
apiVersion: v1
kind: Namespace
metadata: {name: NS, labels: {kuma.io/mesh: default}}
`)
	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{"create Namespace/" + ns, "create ConfigMap/" + ns + "/settings"})
	cm := p.Changes[1]
	if cm.Note != "namespace "+ns+" is created by this apply" || !strings.Contains(cm.Diff, "+  a: \"1\"") {
		t.Errorf("configmap: note %q diff:\n%s", cm.Note, cm.Diff)
	}
	if p.Changes[0].Note != "" {
		t.Errorf("the namespace itself was dry-run; note %q", p.Changes[0].Note)
	}

	dry := DefaultApplyOptions()
	dry.DryRun = true
	if res, err := c.Apply(ctx, objs, dry); err != nil || len(res.Applied) != 2 {
		t.Fatalf("server dry-run into a fresh namespace: %v %v", applied(res), err)
	}

	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "apply", applied(res), []string{"Namespace/" + ns + " created", "ConfigMap/" + ns + "/settings created"})
	if p, err = c.Plan(ctx, objs, DefaultPlanOptions()); err != nil || p.HasChanges() {
		t.Errorf("plan after apply: %v %v", actions(p), err)
	}
}

func TestMissingNamespaceNotInDirectory(t *testing.T) {
	c := newClient(t, env.KubeconfigPath)
	ns := uniqueName("absent")
	_, err := c.Plan(context.Background(), objects(t, ns, "{apiVersion: v1, kind: ConfigMap, metadata: {name: x, namespace: NS}}"), DefaultPlanOptions())
	want := "ConfigMap/" + ns + "/x: namespace " + ns + " does not exist: create it or add the Namespace to the directory"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

const widgetDocs = `
apiVersion: GROUP/v1
kind: Widget
metadata: {name: w1, namespace: default}
spec: {size: 3}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.GROUP}
spec:
  group: GROUP
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              color: {type: string, default: blue}
`

func TestCRDInDirectoryIsEstablishedBeforeItsObjects(t *testing.T) {
	ctx := context.Background()
	group := uniqueName("w") + ".example.com"
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, "", strings.ReplaceAll(widgetDocs, "GROUP", group))

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{
		"create CustomResourceDefinition/widgets." + group,
		"create Widget/default/w1",
	})
	if want := "its CustomResourceDefinition widgets." + group + " is created by this apply"; p.Changes[1].Note != want {
		t.Errorf("note %q, want %q", p.Changes[1].Note, want)
	}

	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "apply", applied(res), []string{
		"CustomResourceDefinition/widgets." + group + " created",
		"Widget/default/w1 created",
	})
	w, err := admin(t).Resource(schema.GroupVersionResource{Group: group, Version: "v1", Resource: "widgets"}).
		Namespace("default").Get(ctx, "w1", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Object["spec"].(map[string]interface{})["color"] != "blue" {
		t.Errorf("the CRD's default was not applied: %v", w.Object["spec"])
	}
	p, err = c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil || p.HasChanges() {
		t.Errorf("plan after apply: %v %v", actions(p), err)
	}
	if p != nil && p.Changes[1].Action != plan.Unchanged {
		t.Errorf("widget: %s", p.Changes[1].Action)
	}
}

func TestLiveContext(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	if _, err := c.Apply(ctx, objects(t, ns, gatewayDocs), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	nss, gws, err := c.LiveContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range nss {
		if n.GetKind() != "Namespace" {
			t.Errorf("namespace list item of kind %q", n.GetKind())
		}
		found = found || n.GetName() == ns
	}
	if !found {
		t.Errorf("namespace %s not listed", ns)
	}
	for _, g := range gws {
		if g.GetName() != ns+"-gw" {
			continue
		}
		mesh, _ := g.GetString("mesh")
		ts, _ := g.GetString("metadata.creationTimestamp")
		if mesh != "default" || ts == "" || g.GetKind() != "MeshGateway" {
			t.Errorf("gateway: mesh %q, creationTimestamp %q, kind %q", mesh, ts, g.GetKind())
		}
		if _, err := g.GetFieldValue("metadata.managedFields"); err == nil {
			t.Error("managedFields kept")
		}
		return
	}
	t.Errorf("gateway %s-gw not listed among %d", ns, len(gws))
}
