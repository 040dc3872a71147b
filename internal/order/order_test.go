package order

import (
	"sort"
	"strings"
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

// A gateway's MeshGateway, Service and Deployment share one stage; what they
// may need (ConfigMaps, Meshes) comes in an earlier one, and the rest later.
func TestStages(t *testing.T) {
	stage := func(gk string) int {
		g, k, _ := strings.Cut(gk, "/")
		return Stage(g, k)
	}
	if a, b, c := stage("kuma.io/MeshGateway"), stage("/Service"), stage("apps/Deployment"); a != b || b != c {
		t.Errorf("MeshGateway, Service, Deployment in stages %d, %d, %d; want one", a, b, c)
	}
	for _, pair := range [][2]string{
		{"/Namespace", "apiextensions.k8s.io/CustomResourceDefinition"},
		{"apiextensions.k8s.io/CustomResourceDefinition", "example.com/Widget"},
		{"/ServiceAccount", "/Secret"},
		{"/ConfigMap", "apps/Deployment"},
		{"rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding"},
		{"kuma.io/Mesh", "kuma.io/MeshGateway"},
		{"apps/Deployment", "batch/Job"},
		{"apps/Deployment", "example.com/Widget"},
	} {
		if stage(pair[0]) >= stage(pair[1]) {
			t.Errorf("%s (stage %d) is not before %s (stage %d)", pair[0], stage(pair[0]), pair[1], stage(pair[1]))
		}
	}
	// A stage is a run of ranks: the stage never goes down along the order.
	for i := 1; i <= len(ranks); i++ {
		if stageOf[i] < stageOf[i-1] {
			t.Errorf("rank %d is in stage %d, before rank %d's %d", i, stageOf[i], i-1, stageOf[i-1])
		}
	}
	if stage("batch/Job") != stage("example.com/Widget") {
		t.Error("the rest is not one stage")
	}
}
