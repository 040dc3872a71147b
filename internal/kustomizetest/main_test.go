package kustomizetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// repoRoot is the module root, seen from this package's directory.
const repoRoot = "../.."

// binDir holds the kubectl-mgi built for this run; buildErr says why it is
// not there.
var (
	binDir   string
	buildErr error
)

// TestMain builds kubectl-mgi from the sources under test into a temporary
// folder, so the tests never run a stale bin/kubectl-mgi.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kustomizetest-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "kubectl-mgi"), "./cmd/kubectl-mgi")
	cmd.Dir = repoRoot
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		buildErr = fmt.Errorf("go build ./cmd/kubectl-mgi: %w\n%s", err, out.String())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// mgiBinary is the path of the kubectl-mgi built for this run.
func mgiBinary(t *testing.T) string {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("kubectl-mgi could not be built (run make build to see why): %v", buildErr)
	}
	return filepath.Join(binDir, "kubectl-mgi")
}

// kustomizeBinary finds kustomize on PATH (make test puts .cache/tools/bin
// there) or in the project's cache. Missing is a failure, not a skip: these
// tests are the only check that the function works inside kustomize.
func kustomizeBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("kustomize"); err == nil {
		return p
	}
	p, err := filepath.Abs(filepath.Join(repoRoot, ".cache", "tools", "bin", "kustomize"))
	if err == nil {
		if _, err = os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatalf("kustomize not found on PATH or in .cache/tools/bin (%v): run `make tools` to install kustomize v5.8.0 there (make test does it for you)", err)
	return ""
}
