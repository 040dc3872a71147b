package order

import (
	"sort"
	"testing"
)

func TestApplyOrder(t *testing.T) {
	keys := []Key{
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

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"v1": "", "apps/v1": "apps", "kuma.io/v1alpha1": "kuma.io", "": ""} {
		if got := Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
}
