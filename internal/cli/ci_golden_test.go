package cli

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/golden"
)

// repoRoot is the repository's top folder, found from this file.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test source")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// compareCIGolden compares got with testdata/ci/<name> (golden.Compare).
func compareCIGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Compare(t, filepath.Join(repoRoot(t), "testdata", "ci", name), got)
}
