package citest

import (
	"path/filepath"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/golden"
)

// compareGolden compares got with testdata/ci/<name> (golden.Compare).
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Compare(t, filepath.Join(repoRoot(t), "testdata", "ci", filepath.FromSlash(name)), got)
}
