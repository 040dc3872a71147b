package citest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKubectlMgiLoop runs the main job the way a person does, through the
// real kubectl with kubectl-mgi on PATH: plan, apply, plan again, against
// the test API server, on docs/examples.
func TestKubectlMgiLoop(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Fatalf("kubectl is not on PATH: %v; the plugin test needs the real kubectl", err)
	}
	root := repoRoot(t)
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "kubectl-mgi"), "./cmd/kubectl-mgi")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building kubectl-mgi: %v\n%s", err, out)
	}
	examples := renamedExamples(t, filepath.Join(root, "docs", "examples"))
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(kubectl, append([]string{"mgi"}, args...)...)
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "KUBECONFIG="+env.KubeconfigPath, "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("kubectl mgi %s: %v", strings.Join(args, " "), err)
		}
		return string(out), code
	}

	out, code := run("plan", examples, "--detailed-exitcode")
	if code != 2 || !strings.Contains(out, "Plan: 4 to create, 0 to update") {
		t.Fatalf("first plan: exit %d, want 2 and four creates:\n%s", code, out)
	}
	for _, want := range []string{"+ Namespace/loop will be created", "+ Deployment/loop/loopgw will be created", "+        image: docker.io/kumahq/kuma-dp:2.9.3"} {
		if !strings.Contains(out, want) {
			t.Errorf("first plan lacks %q:\n%s", want, out)
		}
	}
	out, code = run("apply", examples)
	want := "Namespace/loop created\nMeshGateway/loopgw created\nService/loop/loopgw created\nDeployment/loop/loopgw created\n"
	if code != 0 || out != want {
		t.Fatalf("apply: exit %d, output:\n%s\nwant:\n%s", code, out, want)
	}
	out, code = run("plan", examples, "--detailed-exitcode")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after apply: exit %d, want 0 and no changes:\n%s", code, out)
	}
}

// renamedExamples copies docs/examples with its namespace and gateway
// renamed, so that other tests applying the examples do not change what
// this one starts from.
func renamedExamples(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples in %s: %v", dir, err)
	}
	r := strings.NewReplacer("edge-gateway", "loopgw", "namespace: edge\n", "namespace: loop\n", "name: edge\n", "name: loop\n", "_edge_svc", "_loop_svc")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, filepath.Base(f)), []byte(r.Replace(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
