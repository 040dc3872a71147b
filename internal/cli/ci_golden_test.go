package cli

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// updateCI rewrites the golden files under testdata/ci. It has its own name
// so that it cannot clash with another test file's -update in this package.
var updateCI = flag.Bool("update", false, "rewrite the golden files under testdata/ci")

// repoRoot is the repository's top folder, found from this file.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test source")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// compareCIGolden compares got with testdata/ci/<name>, or writes it there
// with -update.
func compareCIGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(repoRoot(t), "testdata", "ci", name)
	if *updateCI {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("output differs from %s (rerun with -update and review the diff):\n--- got ---\n%s", path, got)
	}
}
