package citest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// kustomizeExamples copies plugins/kustomize into a temporary folder with
// the gateway's namespace and MeshGateway renamed for this test, so that it
// shares the package's API server with the other tests.
func kustomizeExamples(t *testing.T, ns string) string {
	t.Helper()
	src := filepath.Join(repoRoot(t), "plugins", "kustomize")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := strings.NewReplacer(
			"name: edge\n", "name: "+ns+"\n",
			"namespace: edge\n", "namespace: "+ns+"\n",
			"edge-gateway_edge_svc", "edge-gateway_"+ns+"_svc",
		).Replace(string(b))
		if filepath.Base(p) == "meshgateway.yaml" {
			text = strings.Replace(text, "name: edge-gateway\n", "name: "+ns+"-gateway\n", 1)
		}
		return os.WriteFile(target, []byte(text), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// plan -k and apply -k against the real API server: the staging overlay
// is applied, then the prod overlay (4 replicas, pod label tier: prod) is
// planned as an update of the Deployment, applied, and planned again as
// nothing to do.
func TestPlanAndApplyKustomizeOverlays(t *testing.T) {
	ns := "kust-overlays"
	dir := kustomizeExamples(t, ns)
	staging, prod := filepath.Join(dir, "overlays", "staging"), filepath.Join(dir, "overlays", "prod")
	kc := []string{"--kubeconfig", env.KubeconfigPath}

	if _, stderr, code := mgi(t, append([]string{"apply", "-k", staging}, kc...)...); code != 0 {
		t.Fatalf("apply -k staging: exit %d\n%s", code, stderr)
	}
	checkDeployment(t, ns, 1, "staging")

	out, stderr, code := mgi(t, append([]string{"plan", "-k", prod, "--detailed-exitcode", "--color", "never"}, kc...)...)
	if code != 2 {
		t.Fatalf("plan -k prod: exit %d, want 2 (changes)\n%s\n%s", code, out, stderr)
	}
	mustContain(t, "plan -k prod", out, "Deployment", "edge-gateway", "-  replicas: 1", "+  replicas: 4", "-        tier: staging", "+        tier: prod")
	// plan puts the run's findings into the plan, not on stderr.
	mustContain(t, "plan -k prod (findings)", out, "[FunctionTakenOut]")

	if _, stderr, code := mgi(t, append([]string{"apply", "-k", prod}, kc...)...); code != 0 {
		t.Fatalf("apply -k prod: exit %d\n%s", code, stderr)
	}
	checkDeployment(t, ns, 4, "prod")

	if out, stderr, code := mgi(t, append([]string{"plan", "-k", prod, "--detailed-exitcode"}, kc...)...); code != 0 {
		t.Errorf("plan -k prod after apply: exit %d, want 0 (nothing to do)\n%s\n%s", code, out, stderr)
	}
}

func checkDeployment(t *testing.T, ns string, replicas int32, tier string) {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	d, err := cs.AppsV1().Deployments(ns).Get(context.Background(), "edge-gateway", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the Deployment: %v", err)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas != replicas || d.Spec.Template.Labels["tier"] != tier {
		t.Errorf("Deployment %s/edge-gateway: replicas %v, tier %q; want %d, %q", ns, d.Spec.Replicas, d.Spec.Template.Labels["tier"], replicas, tier)
	}
}
