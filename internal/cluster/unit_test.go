package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

func fieldSet(t *testing.T, js string) *fieldpath.Set {
	t.Helper()
	s := &fieldpath.Set{}
	if err := s.FromJSON(bytes.NewReader([]byte(js))); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRemoveFields(t *testing.T) {
	var obj map[string]interface{}
	if err := json.Unmarshal([]byte(`{
  "metadata": {"labels": {"app": "edge", "team": "web"}},
  "spec": {
    "args": ["run", "--debug"],
    "containers": [
      {"name": "gw", "image": "dp", "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]},
      {"name": "old", "image": "x"}
    ],
    "finalizers": ["a", "b"]
  }
}`), &obj); err != nil {
		t.Fatal(err)
	}
	// What the client-side manager owned ...
	owned := fieldSet(t, `{
  "f:metadata": {"f:labels": {".": {}, "f:app": {}, "f:team": {}}},
  "f:spec": {
    "f:args": {},
    "f:containers": {
      "k:{\"name\":\"gw\"}": {".": {}, "f:name": {}, "f:image": {}, "f:env": {".": {}, "k:{\"name\":\"A\"}": {".": {}, "f:name": {}, "f:value": {}}}},
      "k:{\"name\":\"old\"}": {".": {}, "f:name": {}, "f:image": {}}
    },
    "f:finalizers": {"v:\"b\"": {}}
  }
}`)
	// ... and what the directory (another manager) now sets.
	kept := fieldSet(t, `{
  "f:metadata": {"f:labels": {"f:app": {}}},
  "f:spec": {"f:containers": {"k:{\"name\":\"gw\"}": {".": {}, "f:name": {}, "f:image": {}}}}
}`)
	removeFields(obj, owned, owned.Difference(kept))

	got, _ := json.Marshal(obj)
	want := `{"metadata":{"labels":{"app":"edge"}},"spec":{"containers":[{"env":[{"name":"B","value":"2"}],"image":"dp","name":"gw"}],"finalizers":["a"]}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A group is kept in apply order (results are listed that way) but sent one
// kind after another in turn, so a kind the server takes one at a time does
// not hold every connection.
func TestSendOrderTakesKindsInTurn(t *testing.T) {
	var g []Object
	for _, k := range []string{"MeshGateway", "MeshGateway", "MeshGateway", "Service", "Deployment", "Deployment"} {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("v1")
		u.SetKind(k)
		u.SetName(fmt.Sprint(len(g)))
		g = append(g, Object{Unstructured: u})
	}
	got := fmt.Sprint(sendOrder(g))
	if want := "[0 3 4 1 5 2]"; got != want {
		t.Errorf("send order %s, want %s", got, want)
	}
}

func TestGroupsFollowApplyOrder(t *testing.T) {
	mk := func(apiVersion, kind, ns, name string) Object {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion(apiVersion)
		u.SetKind(kind)
		u.SetNamespace(ns)
		u.SetName(name)
		return Object{Unstructured: u}
	}
	in := []Object{
		mk("apps/v1", "Deployment", "b", "x"),
		mk("kuma.io/v1alpha1", "MeshGatewayInstance", "a", "x"),
		mk("v1", "Service", "a", "x"),
		mk("apps/v1", "Deployment", "a", "x"),
		mk("kuma.io/v1alpha1", "MeshGateway", "", "gw"),
		mk("v1", "Namespace", "", "a"),
		mk("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "c"),
	}
	var got []string
	for _, g := range groups(in) {
		var names []string
		for _, o := range g {
			names = append(names, Ref(o.Unstructured).String())
		}
		got = append(got, strings.Join(names, ","))
	}
	equalLists(t, "groups", got, []string{
		"Namespace/a",
		"CustomResourceDefinition/c",
		"MeshGateway/gw,Service/a/x,Deployment/a/x,Deployment/b/x",
		"MeshGatewayInstance/a/x",
	})
}

func TestConflictsOf(t *testing.T) {
	err := &apierrors.StatusError{ErrStatus: metav1.Status{
		Status: metav1.StatusFailure,
		Code:   409,
		Reason: metav1.StatusReasonConflict,
		Details: &metav1.StatusDetails{Causes: []metav1.StatusCause{
			{Type: metav1.CauseTypeFieldManagerConflict, Message: `conflict with "kuma-cp" using apps/v1`, Field: ".spec.replicas"},
			{Type: metav1.CauseTypeFieldManagerConflict, Message: `conflict with "helm" using apps/v1`, Field: ".metadata.labels.app"},
			{Type: metav1.CauseTypeFieldManagerConflict, Message: `conflict with "kuma-cp" using apps/v1`, Field: ".spec.replicas"},
		}},
	}}
	got, ok := conflictsOf(err)
	want := []plan.FieldConflict{{Field: ".metadata.labels.app", Manager: "helm"}, {Field: ".spec.replicas", Manager: "kuma-cp"}}
	if !ok || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("conflictsOf = %v %v, want %v", got, ok, want)
	}
	// A resourceVersion conflict is not a field conflict.
	if _, ok := conflictsOf(apierrors.NewConflict(schema.GroupResource{Resource: "configmaps"}, "x", nil)); ok {
		t.Error("plain conflict taken for a field conflict")
	}
}

func TestCheckObjects(t *testing.T) {
	named := &unstructured.Unstructured{Object: map[string]interface{}{"apiVersion": "v1", "kind": "ConfigMap"}}
	for _, tc := range []struct {
		obj  Object
		want string
	}{
		{Object{Source: "a.yaml:3"}, "a.yaml:3: empty object"},
		{Object{Unstructured: &unstructured.Unstructured{Object: map[string]interface{}{"kind": "X"}}}, "object 1: apiVersion and kind are required"},
		{Object{Unstructured: named, Source: "b.yaml:1"}, "b.yaml:1: ConfigMap: metadata.name is required"},
	} {
		err := checkObjects([]Object{tc.obj})
		if err == nil || err.Error() != tc.want {
			t.Errorf("err = %v, want %s", err, tc.want)
		}
		// Nothing is sent: the error comes before the client is used.
		if _, err := (&Client{}).Plan(context.Background(), []Object{tc.obj}, DefaultPlanOptions()); err == nil {
			t.Errorf("Plan accepted %+v", tc.obj)
		}
	}
}
