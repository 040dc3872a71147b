package citest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// kumaDir writes a gateway directory for namespace ns whose control plane is
// the Deployment kuma-control-plane in namespace cpNamespace (by the
// ControlPlaneConfig's controlPlaneURL, as a real install names it).
func kumaDir(t *testing.T, ns, cpNamespace, gateway string) string {
	t.Helper()
	dir := t.TempDir()
	docs := fmt.Sprintf(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  controlPlaneURL: https://kuma-control-plane.%[2]s:5678
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: %[3]s}
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
spec: {}
`, ns, cpNamespace, gateway)
	if err := os.WriteFile(filepath.Join(dir, "gateways.yaml"), []byte(docs), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func testNamespace(t *testing.T, prefix string) string {
	t.Helper()
	ns, err := env.Namespace(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// fakeControlPlane is a Deployment shaped like the kuma-control-plane of
// Kuma's Helm chart, with the given image; nothing runs it.
func fakeControlPlane(t *testing.T, ns, image string) {
	t.Helper()
	serverSideApply(t, "helm", fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata: {name: kuma-control-plane, namespace: %s}
spec:
  selector: {matchLabels: {app: kuma-control-plane}}
  template:
    metadata: {labels: {app: kuma-control-plane}}
    spec:
      containers:
      - {name: control-plane, image: %q}
`, ns, image))
}

// Version detection against a real API server: plan reads the image tag of
// the control plane's Deployment, warns naming both releases when it is not
// the one the objects were built for, and says nothing (a debug line with
// -v) when it cannot tell.
func TestPlanDetectsTheControlPlaneVersion(t *testing.T) {
	gwNS := testNamespace(t, "kuma-detect")
	cpNS := testNamespace(t, "kuma-cp")
	fakeControlPlane(t, cpNS, "docker.io/kumahq/kuma-cp:2.14.1")
	dir := kumaDir(t, gwNS, cpNS, "detect-"+gwNS)
	warning := fmt.Sprintf("warning: the Kuma control plane in the cluster runs 2.14.1 (image docker.io/kumahq/kuma-cp:2.14.1 of Deployment %s/kuma-control-plane), but the objects were built for Kuma 2.13: Kuma 2.14 builds its gateways differently. Set spec.kumaVersion or --kuma-version 2.14 to build what the cluster builds; keep 2.13 only to preview a change of release\n", cpNS)

	_, stderr, code := mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath)
	if code != 0 || stderr != warning {
		t.Fatalf("plan at the default 2.13 against a 2.14.1 control plane: exit %d, stderr\n%s\nwant exactly\n%s", code, stderr, warning)
	}
	_, stderr, code = mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath, "--kuma-version", "2.14.1")
	if code != 0 || stderr != "" {
		t.Fatalf("plan --kuma-version 2.14.1: exit %d, stderr %q, want nothing", code, stderr)
	}
	_, stderr, _ = mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath, "--kuma-version", "2.14", "-v", "1")
	mustContain(t, "plan -v 1", stderr, "debug: the Kuma control plane (Deployment "+cpNS+"/kuma-control-plane, image docker.io/kumahq/kuma-cp:2.14.1) runs 2.14, the release the expansion is for")

	// An image with only a digest has no version: no guess, no warning.
	fakeControlPlane(t, cpNS, "kumahq/kuma-cp@sha256:0000000000000000000000000000000000000000000000000000000000000000")
	_, stderr, _ = mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath)
	if stderr != "" {
		t.Fatalf("digest-only image: stderr %q, want nothing", stderr)
	}
	_, stderr, _ = mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath, "-v", "1")
	mustContain(t, "digest-only image, -v 1", stderr, "debug: not checking the Kuma version against the cluster: the image kumahq/kuma-cp@sha256:")

	// No control plane Deployment where the URL points.
	missing := kumaDir(t, gwNS, gwNS, "detect-"+gwNS)
	_, stderr, code = mgi(t, "plan", missing, "--kubeconfig", env.KubeconfigPath)
	if code != 0 || stderr != "" {
		t.Fatalf("no control plane: exit %d, stderr %q, want nothing", code, stderr)
	}
	_, stderr, _ = mgi(t, "plan", missing, "--kubeconfig", env.KubeconfigPath, "-v", "1")
	mustContain(t, "no control plane, -v 1", stderr, "debug: not checking the Kuma version against the cluster: deployment "+gwNS+"/kuma-control-plane: ", "not found")
}

// Without permission to read the control plane's Deployment, plan works as
// before and only -v says why the version was not checked.
func TestPlanWithoutAccessToTheControlPlaneSaysNothing(t *testing.T) {
	t.Chdir(repoRoot(t))
	serverSideApply(t, "setup", edgeNamespace)
	serverSideApply(t, "setup", readFile(t, planRBAC))
	serverSideApply(t, "setup", "apiVersion: v1\nkind: Namespace\nmetadata: {name: kuma-system}\n")
	fakeControlPlane(t, "kuma-system", "kumahq/kuma-cp:2.9.0")
	t.Cleanup(func() { deleteControlPlane(t, "kuma-system") })
	kubeconfig, err := env.AddUser(planSA, []string{"system:serviceaccounts", "system:serviceaccounts:kubectl-mgi"})
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := mgi(t, "plan", "docs/examples", "--kubeconfig", kubeconfig)
	if code != 0 || strings.Contains(stderr, "warning: the Kuma control plane") {
		t.Fatalf("plan without access: exit %d, stderr\n%s", code, stderr)
	}
	_, stderr, _ = mgi(t, "plan", "docs/examples", "--kubeconfig", kubeconfig, "-v", "1")
	mustContain(t, "plan -v 1 without access", stderr,
		"debug: not checking the Kuma version against the cluster: deployment kuma-system/kuma-control-plane: ",
		"forbidden", "(reading it needs get on deployments in namespace kuma-system)")

	// The admin, who may read it, is warned: the cluster runs 2.9.
	_, stderr, _ = mgi(t, "plan", "docs/examples", "--kubeconfig", env.KubeconfigPath)
	mustContain(t, "plan as admin", stderr, "warning: the Kuma control plane in the cluster runs 2.9.0")
}

// deleteControlPlane removes the fake control plane from kuma-system, which
// other tests' plans would otherwise read.
func deleteControlPlane(t *testing.T, ns string) {
	t.Helper()
	dyn, err := dynamic.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	gvr := schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	if err := dyn.Resource(gvr).Namespace(ns).Delete(context.Background(), "kuma-control-plane", metav1.DeleteOptions{}); err != nil {
		t.Errorf("deleting the fake control plane: %v", err)
	}
}

// Previewing an upgrade: the 2.13 expansion applied, then planned with
// --kuma-version 2.14, shows exactly what Kuma 2.14's controller changes in
// the Deployment (probe port, CPU limit, --concurrency, HOST_IP) and
// nothing else: the Service is unchanged.
func TestPlanPreviewsTheKuma214Upgrade(t *testing.T) {
	ns := testNamespace(t, "kuma-upgrade")
	dir := kumaDir(t, ns, ns, "upgrade-"+ns)
	if _, stderr, code := mgi(t, "apply", dir, "--kubeconfig", env.KubeconfigPath, "--kuma-version", "2.13"); code != 0 {
		t.Fatalf("apply 2.13: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath, "--kuma-version", "2.13", "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan 2.13 after apply 2.13: exit %d, want 0 (no changes)\n%s\n%s", code, out, stderr)
	}
	out, stderr, code := mgi(t, "plan", dir, "--kubeconfig", env.KubeconfigPath, "--kuma-version", "2.14", "--detailed-exitcode", "--color", "never")
	if code != 2 {
		t.Fatalf("plan 2.14: exit %d, want 2 (changes)\n%s\n%s", code, out, stderr)
	}
	mustContain(t, "plan 2.14", out, "~ Deployment/"+ns+"/edge will be updated")
	if strings.Contains(out, "Service/"+ns+"/edge will be") || strings.Contains(out, "MeshGateway/upgrade-") && strings.Contains(out, "will be updated") {
		t.Errorf("only the Deployment may change:\n%s", out)
	}
	var changed []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimRight(l, " ")
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			changed = append(changed, strings.Join(strings.Fields(l), " "))
		}
	}
	want := []string{
		"- - --concurrency=2",
		"+ - name: HOST_IP",
		"+ valueFrom:",
		"+ fieldRef:",
		"+ apiVersion: v1",
		"+ fieldPath: status.hostIP",
		"- port: 9901",
		"+ port: 9902",
		"- port: 9901",
		"+ port: 9902",
		"- cpu: \"1\"",
	}
	if !slices.Equal(changed, want) {
		t.Fatalf("the 2.13 → 2.14 diff is not exactly the upgrade's changes:\ngot  %q\nwant %q\n%s", changed, want, out)
	}
}
