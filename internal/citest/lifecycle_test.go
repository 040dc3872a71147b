package citest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nodePortDir is a directory whose gateway listens on 8080 with
// serviceType NodePort: outside the node-port range, which the dry-run
// accepts and the apply would not.
func nodePortDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	docs := map[string]string{
		"namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ci-nodeport\n  labels:\n    kuma.io/mesh: default\n",
		"gateway.yaml": `apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: ci-nodeport
spec:
  selectors:
    - match:
        kuma.io/service: np_ci-nodeport_svc
  conf:
    listeners:
      - port: 8080
        protocol: HTTP
`,
		"instance.yaml": `apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: np
  namespace: ci-nodeport
spec:
  serviceType: NodePort
`,
	}
	for name, doc := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The run's findings are part of the plan in every format, and a NodePort
// outside the range is an error for plan (the plan is still printed, exit
// 1) and for apply (nothing applied).
func TestPlanHoldsFindingsAndNodePortIsAnError(t *testing.T) {
	dir := nodePortDir(t)
	kc := "--kubeconfig=" + env.KubeconfigPath

	out, stderr, code := mgi(t, "plan", dir, kc, "-o", "json")
	if code != 1 {
		t.Fatalf("plan -o json: exit %d\n%s", code, stderr)
	}
	var doc struct {
		HasErrors bool
		Summary   map[string]int
		Findings  []struct{ Severity, Rule, File string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !doc.HasErrors || doc.Summary["create"] != 4 || len(doc.Findings) != 1 || doc.Findings[0].Rule != "NodePortOutOfRange" ||
		doc.Findings[0].Severity != "error" || !strings.HasSuffix(doc.Findings[0].File, "instance.yaml") {
		t.Errorf("plan JSON: %+v", doc)
	}
	if strings.Contains(stderr, "NodePortOutOfRange") {
		t.Errorf("the finding went to stderr too:\n%s", stderr)
	}

	text, _, code := mgi(t, "plan", dir, kc)
	mustContain(t, "text plan", text, "Findings (1 error, 0 warnings, 0 info):\n  ", "[NodePortOutOfRange]", "+ Service/ci-nodeport/np will be created")
	if code != 1 {
		t.Errorf("text plan: exit %d", code)
	}
	md, _, _ := mgi(t, "plan", dir, kc, "-o", "markdown")
	mustContain(t, "markdown plan", md, "### Findings (1 error, 0 warnings, 0 info)", "| :x: error | <code>NodePortOutOfRange</code> | <code>MeshGatewayInstance/ci-nodeport/np</code> |")

	applied, stderr, code := mgi(t, "apply", dir, kc)
	if code != 1 || applied != "" || !strings.Contains(stderr, "NodePortOutOfRange") || !strings.Contains(stderr, "nothing was done") {
		t.Errorf("apply: exit %d\nstdout %s\nstderr %s", code, applied, stderr)
	}
}

// A path that does not exist is an error, never an empty set; an empty
// directory with --prune is refused unless --allow-empty.
func TestApplyPruneOfAMissingOrEmptyPathDeletesNothing(t *testing.T) {
	kc := "--kubeconfig=" + env.KubeconfigPath
	ns := "ci-empty-prune"
	dir := t.TempDir()
	doc := "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + ns + "}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: " + ns + "}\ndata: {a: \"1\"}\n"
	if err := os.WriteFile(filepath.Join(dir, "all.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := mgi(t, "apply", dir, kc, "-n", ns, "--applyset", "gw", "--prune"); code != 0 {
		t.Fatalf("first apply (the directory creates the parent's namespace): exit %d\n%s", code, stderr)
	}
	_, stderr, code := mgi(t, "apply", filepath.Join(dir, "typo"), kc, "-n", ns, "--applyset", "gw", "--prune")
	if code != 1 || !strings.Contains(stderr, "no such file or directory") {
		t.Errorf("missing path: exit %d\n%s", code, stderr)
	}
	empty := t.TempDir()
	out, stderr, code := mgi(t, "apply", empty, kc, "-n", ns, "--applyset", "gw", "--prune")
	if code != 1 || !strings.Contains(stderr, "prune refused, nothing was deleted") || !strings.Contains(stderr, "ConfigMap/"+ns+"/settings") {
		t.Errorf("empty directory: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	out, stderr, code = mgi(t, "apply", empty, kc, "-n", ns, "--applyset", "gw", "--prune", "--allow-empty")
	if code != 0 || !strings.Contains(out, "ConfigMap/"+ns+"/settings pruned") || !strings.Contains(out, "Namespace/"+ns+" kept, not pruned (it holds the ApplySet parent") {
		t.Errorf("--allow-empty: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
}

// The directory names its ApplySet in its ControlPlaneConfig: plain plan
// and apply use it, and --applyset must agree.
func TestApplySetNamedInTheDirectory(t *testing.T) {
	kc := "--kubeconfig=" + env.KubeconfigPath
	ns := "ci-set-setting"
	dir := t.TempDir()
	write := func(name, doc string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.yaml", "apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata: {name: settings}\nspec:\n  applySet: configmaps/gateways\n")
	write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: "+ns+"}\n")
	write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old, namespace: "+ns+"}\ndata: {a: \"1\"}\n")
	if _, stderr, code := mgi(t, "apply", dir, kc, "-n", ns); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := mgi(t, "plan", dir, kc, "-n", ns, "--applyset", "other"); code != 1 || !strings.Contains(stderr, "names ApplySet configmaps/gateways (spec.applySet)") {
		t.Errorf("disagreeing --applyset: exit %d\n%s", code, stderr)
	}
	if err := os.Remove(filepath.Join(dir, "cm.yaml")); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := mgi(t, "plan", dir, kc, "-n", ns)
	if code != 0 || !strings.Contains(out, "- ConfigMap/"+ns+"/old will be deleted (prune)") || !strings.Contains(out, "member of ApplySet ConfigMap/"+ns+"/gateways") {
		t.Errorf("plan: exit %d\n%s\n%s", code, out, stderr)
	}
	out, stderr, code = mgi(t, "apply", dir, kc, "-n", ns, "--prune")
	if code != 0 || !strings.Contains(out, "ConfigMap/"+ns+"/old pruned") {
		t.Errorf("apply --prune: exit %d\n%s\n%s", code, out, stderr)
	}
}
