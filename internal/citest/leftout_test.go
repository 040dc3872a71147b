package citest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// scaledDir is a gateway directory for namespace ns whose instance asks
// for replicas; config is put into its ControlPlaneConfig's spec.
func scaledDir(t *testing.T, ns string, replicas int, config string) string {
	t.Helper()
	dir := t.TempDir()
	docs := fmt.Sprintf(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  dataplaneImage: kuma/kuma-dp:2.13.0
%[3]s---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: %[1]s}
mesh: default
spec:
  selectors:
  - match: {kuma.io/service: edge_%[1]s_svc}
  conf:
    listeners:
    - {port: 8080, protocol: HTTP}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata: {name: edge, namespace: %[1]s}
spec: {replicas: %[2]d}
`, ns, replicas, config)
	if err := os.WriteFile(filepath.Join(dir, "gateways.yaml"), []byte(docs), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func deploymentReplicas(t *testing.T, ns, name string) int32 {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	d, err := cs.AppsV1().Deployments(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return *d.Spec.Replicas
}

// The autoscaler of the issue, through the command: kube-controller-manager
// (here the real kubectl with its field manager) writes replicas through the
// scale subresource; plan is clean (exit 0 with --detailed-exitcode, one
// note), apply succeeds without --force-conflicts and the replicas stay.
func TestAutoscalerOwnsReplicasThroughTheScaleSubresource(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Fatalf("kubectl is not on PATH: %v", err)
	}
	ns := testNamespace(t, "autoscaled")
	kc := "--kubeconfig=" + env.KubeconfigPath
	dir := scaledDir(t, ns, 2, "")
	if _, stderr, code := mgi(t, "apply", dir, kc); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	patch := exec.Command(kubectl, kc, "-n", ns, "patch", "deployment", "edge", "--subresource=scale", "--type=merge",
		"-p", `{"spec":{"replicas":5}}`, "--field-manager=kube-controller-manager")
	if out, err := patch.CombinedOutput(); err != nil {
		t.Fatalf("kubectl patch --subresource=scale: %v\n%s", err, out)
	}

	out, stderr, code := mgi(t, "plan", dir, kc, "--detailed-exitcode", "--color", "never")
	if code != 0 {
		t.Fatalf("plan after the autoscaler scaled: exit %d, want 0\n%s\n%s", code, out, stderr)
	}
	mustContain(t, "plan", out, "[FieldsLeftToOthers]", "/spec/replicas is left to others (kube-controller-manager wrote it through the scale subresource)")
	if strings.Count(out, "FieldsLeftToOthers") != 1 {
		t.Errorf("the plan should say it once:\n%s", out)
	}
	if out, stderr, code := mgi(t, "apply", dir, kc); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	if got := deploymentReplicas(t, ns, "edge"); got != 5 {
		t.Fatalf("apply reset the replicas to %d", got)
	}
}

// spec.ignore in the directory's ControlPlaneConfig: the rule's file:line
// is in the note, and the directory's new replicas are not sent.
func TestIgnoreRuleInTheDirectory(t *testing.T) {
	ns := testNamespace(t, "ignored")
	kc := "--kubeconfig=" + env.KubeconfigPath
	if _, stderr, code := mgi(t, "apply", scaledDir(t, ns, 3, ""), kc); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	rule := "  ignore:\n  - paths: [/spec/replicas]\n    target: {kind: Deployment, name: edge}\n"
	dir := scaledDir(t, ns, 1, rule)
	out, stderr, code := mgi(t, "plan", dir, kc, "--detailed-exitcode", "-o", "json")
	if code != 0 {
		t.Fatalf("plan: exit %d, want 0\n%s\n%s", code, out, stderr)
	}
	mustContain(t, "plan -o json", out, `"rule": "FieldsLeftToOthers"`, "the ignore rule at "+filepath.Join(dir, "gateways.yaml")+":7")
	if _, stderr, code := mgi(t, "apply", dir, kc); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	if got := deploymentReplicas(t, ns, "edge"); got != 3 {
		t.Fatalf("replicas %d, want the live 3", got)
	}
}
