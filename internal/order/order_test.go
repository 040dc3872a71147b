package order

import (
	"sort"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

func TestApplyOrder(t *testing.T) {
	keys := []object.Ref{
		{Group: "apps", Kind: "Deployment", Namespace: "b", Name: "x"},
		{Group: "", Kind: "Service", Namespace: "a", Name: "x"},
		{Group: "example.com", Kind: "Widget", Name: "w"},
		{Group: "apps", Kind: "Deployment", Namespace: "a", Name: "y"},
		{Group: "kuma.io", Kind: "MeshGateway", Name: "g"},
		{Group: "", Kind: "Namespace", Name: "a"},
		{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition", Name: "widgets.example.com"},
		{Group: "", Kind: "ConfigMap", Namespace: "a", Name: "c"},
		{Group: "batch", Kind: "Job", Namespace: "a", Name: "j"},
	}
	sort.SliceStable(keys, func(i, j int) bool { return Less(keys[i], keys[j]) })
	var got []string
	for _, k := range keys {
		got = append(got, k.Kind+"/"+k.Namespace+"/"+k.Name)
	}
	want := []string{
		"Namespace//a", "CustomResourceDefinition//widgets.example.com", "ConfigMap/a/c", "MeshGateway//g",
		"Service/a/x", "Deployment/a/y", "Deployment/b/x", "Job/a/j", "Widget//w",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order:\n got %v\nwant %v", got, want)
		}
	}
}
