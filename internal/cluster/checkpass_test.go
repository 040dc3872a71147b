package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Two objects the API server refuses (a negative replica count, a port out
// of range) beside two it accepts.
const refusedDocs = `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: NS}
data: {a: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS}
spec:
  replicas: -1
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec: {containers: [{name: c, image: kuma/kuma-dp:2.9.0}]}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: NS}
spec:
  selector: {app: edge}
  ports: [{name: http, port: 70000}]
---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: NS}
stringData: {token: abc}
`

var configMaps = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}

func TestApplyReportsEveryRefusalAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	res, err := c.Apply(ctx, objects(t, ns, refusedDocs), DefaultApplyOptions())
	if !errors.As(err, new(*NothingAppliedError)) {
		t.Fatalf("err = %v (%T), want a NothingAppliedError", err, err)
	}
	msg := err.Error()
	for _, want := range []string{
		"2 objects failed:",
		"Service/" + ns + "/edge: patch: ",
		"spec.ports[0].port: Invalid value: 70000",
		"Deployment/" + ns + "/edge: patch: ",
		"spec.replicas: Invalid value: -1",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "more objects failed") {
		t.Errorf("message folds failures:\n%s", msg)
	}
	if len(res.Applied) != 0 || len(res.NotApplied) != 4 {
		t.Errorf("applied %v, %d not applied; want none and 4", applied(res), len(res.NotApplied))
	}
	for _, r := range []struct {
		gvr  schema.GroupVersionResource
		name string
	}{{configMaps, "settings"}, {schema.GroupVersionResource{Version: "v1", Resource: "secrets"}, "token"}} {
		if _, err := admin(t).Resource(r.gvr).Namespace(ns).Get(ctx, r.name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("%s %s was written although other objects were refused: %v", r.gvr.Resource, r.name, err)
		}
	}
}

func TestApplyReportsEveryConflictAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, gatewayDocs)
	// Another manager owns a field of the ConfigMap and of the Service.
	other := DefaultApplyOptions()
	other.FieldManager = "kuma-cp"
	if _, err := c.Apply(ctx, objects(t, ns, `
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: NS}
data: {a: "other"}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: NS, annotations: {kuma.io/gateway: other}}
spec:
  selector: {app: edge}
  ports: [{name: "8080", port: 8080, targetPort: 8080, protocol: TCP}]
`), other); err != nil {
		t.Fatal(err)
	}
	_, err := c.Apply(ctx, objs, DefaultApplyOptions())
	var ce *ConflictError
	if !errors.As(err, new(*NothingAppliedError)) || !errors.As(err, &ce) {
		t.Fatalf("err = %v, want conflicts found by the dry-run", err)
	}
	for _, want := range []string{"ConfigMap/" + ns + "/settings", "Service/" + ns + "/edge", `.data.a`, "kuma-cp"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%s", want, err)
		}
	}
	for _, name := range []string{"edge"} {
		_, err := admin(t).Resource(schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}).Namespace(ns).Get(ctx, name, metav1.GetOptions{})
		if !apierrors.IsNotFound(err) {
			t.Errorf("the Deployment was written although other objects conflict: %v", err)
		}
	}
}

// Two applies of the same new objects at once: each object is created by
// exactly one of them, and the other says so.
func TestRacingAppliesDoNotBothCreate(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	var docs strings.Builder
	for i := range 40 {
		fmt.Fprintf(&docs, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d, namespace: NS}\ndata: {a: \"1\"}\n", i)
	}
	objs := objects(t, ns, docs.String())
	results := make([]*ApplyResult, 2)
	var wg sync.WaitGroup
	for i := range results {
		c := newClient(t, env.KubeconfigPath)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if results[i], err = c.Apply(ctx, objs, DefaultApplyOptions()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	created := map[string]int{}
	for _, r := range results {
		for _, a := range r.Applied {
			if a.Action == plan.Create {
				created[a.Object.Name]++
			} else if a.Action == plan.Update && a.Note == "" {
				t.Errorf("%s configured without saying another client created it", a.Object)
			}
		}
	}
	for i := range 40 {
		if n := created[fmt.Sprintf("cm-%d", i)]; n != 1 {
			t.Errorf("cm-%d: %d applies say they created it, want exactly 1", i, n)
		}
	}
}

func TestReapplySendsNothingForUnchangedObjects(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, gatewayDocs)
	if _, err := c.Apply(ctx, objs, DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	before := resourceVersions(t, ns)
	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Applied {
		if a.Action != plan.Unchanged {
			t.Errorf("%s %s, want unchanged", a.Object, a.Action)
		}
	}
	if after := resourceVersions(t, ns); after != before {
		t.Errorf("re-apply wrote objects: %s -> %s", before, after)
	}
}

func resourceVersions(t *testing.T, ns string) string {
	t.Helper()
	var out []string
	for _, gvr := range []schema.GroupVersionResource{configMaps, {Version: "v1", Resource: "services"}, {Group: "apps", Version: "v1", Resource: "deployments"}} {
		l, err := admin(t).Resource(gvr).Namespace(ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range l.Items {
			out = append(out, u.GetName()+"@"+u.GetResourceVersion())
		}
	}
	return strings.Join(out, " ")
}
