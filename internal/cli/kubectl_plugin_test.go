package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// pluginDir builds kubectl-mgi (with a stamped version) into a temporary
// folder, next to a copy of hack/kubectl_complete-mgi, as a user installs
// them.
func pluginDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed; these tests run the plugin through the real kubectl")
	}
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "kubectl-mgi"),
		"-ldflags", "-X github.com/kubectl-mgi/kubectl-mgi/internal/version.Version=v9.8.7 -X github.com/kubectl-mgi/kubectl-mgi/internal/version.Commit=feedbeef -X github.com/kubectl-mgi/kubectl-mgi/internal/version.Date=2026-01-02T03:04:05Z",
		"./cmd/kubectl-mgi")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script, err := os.ReadFile(filepath.Join(repo, "hack", "kubectl_complete-mgi"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kubectl_complete-mgi"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// kubectl runs the real kubectl with only dir and the system folders on PATH.
func kubectl(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	kubectlPath, _ := exec.LookPath("kubectl")
	cmd := exec.Command(kubectlPath, args...)
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+"/usr/local/bin:/usr/bin:/bin", "KUBECONFIG="+filepath.Join(dir, "no-kubeconfig"))
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func TestKubectlRunsPlugin(t *testing.T) {
	dir := pluginDir(t)

	out, stderr, err := kubectl(t, dir, "mgi", "version", "-o", "json")
	if err != nil {
		t.Fatalf("kubectl mgi version: %v\n%s", err, stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v["version"] != "v9.8.7" || v["commit"] != "feedbeef" || v["date"] != "2026-01-02T03:04:05Z" {
		t.Fatalf("ldflags did not reach the binary: %v", v)
	}
	if v["platform"] != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("platform %q", v["platform"])
	}
	if v["kumaVersion"] != "2.13" {
		t.Errorf("kumaVersion %q, want the default 2.13", v["kumaVersion"])
	}

	out, _, err = kubectl(t, dir, "mgi", "version")
	if err != nil || !strings.HasPrefix(out, "kubectl-mgi v9.8.7 (commit feedbeef") {
		t.Fatalf("kubectl mgi version: %v %q", err, out)
	}

	out, _, err = kubectl(t, dir, "plugin", "list")
	if err != nil {
		t.Fatalf("kubectl plugin list: %v\n%s", err, out)
	}
	if !strings.Contains(out, filepath.Join(dir, "kubectl-mgi")+"\n") {
		t.Fatalf("kubectl plugin list does not list %s:\n%s", filepath.Join(dir, "kubectl-mgi"), out)
	}
}

// kubectl 1.26+ completes `kubectl mgi ...` by running kubectl_complete-mgi.
func TestKubectlCompletesPlugin(t *testing.T) {
	dir := pluginDir(t)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "mgi", ""}, []string{"completion\t", "render\t", "validate\t", "version\t"}},
		{[]string{"__complete", "mgi", "completion", ""}, []string{"bash\t", "fish\t", "powershell\t", "zsh\t"}},
		{[]string{"__complete", "mgi", "version", "-o", ""}, []string{"text", "json", "yaml"}},
	} {
		out, stderr, err := kubectl(t, dir, tc.args...)
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s", tc.args, err, stderr)
		}
		lines := strings.Split(out, "\n")
		for _, w := range tc.want {
			found := false
			for _, l := range lines {
				found = found || strings.HasPrefix(l, w)
			}
			if !found {
				t.Errorf("kubectl %v: no %q in\n%s", tc.args, w, out)
			}
		}
	}
}
