// Package golden is the one comparison of test output with a file kept
// under testdata, for every package's golden tests. `-update` rewrites the
// files instead of comparing; `make golden` passes it to every package
// whose tests use this package (go test rejects a flag that a test binary
// does not define, so `go test ./... -update` would fail elsewhere).
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Updating reports whether this run rewrites golden files (-update).
func Updating() bool { return *update }

// Compare fails t when got differs from the file at path; with -update it
// writes got there instead (creating the folder).
func Compare(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run make golden, or go test -run %s -update in this package, to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (run make golden and review the diff):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
