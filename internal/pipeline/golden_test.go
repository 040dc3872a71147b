package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/golden"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// goldenRoot holds one folder per case: input/ (the directory given to the
// tool), expected.yaml (what render prints) and findings.txt (what validate
// prints). A new case is a new folder; `make golden`
// writes its expected files, which a reviewer then reads.
const goldenRoot = "../../testdata/golden"

func TestGolden(t *testing.T) {
	cases, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 15 {
		t.Errorf("only %d golden cases; the suite promises at least 15", len(cases))
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		dir := filepath.Join(goldenRoot, c.Name())
		t.Run(c.Name(), func(t *testing.T) {
			yamlOut, findings := renderCase(t, dir)
			golden.Compare(t, filepath.Join(dir, "expected.yaml"), yamlOut)
			golden.Compare(t, filepath.Join(dir, "findings.txt"), findings)
		})
	}
}

// renderCase runs the pipeline as `render` and `validate` do: objects only
// when there is no error, findings always, with paths relative to the case.
func renderCase(t *testing.T, dir string) (string, string) {
	t.Helper()
	opts := Options{Paths: []string{filepath.Join(dir, "input")}, DefaultNamespace: "default"}
	if b, err := os.ReadFile(filepath.Join(dir, "namespace")); err == nil {
		opts.DefaultNamespace = strings.TrimSpace(string(b))
	}
	res, err := Run(opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var objs, fs bytes.Buffer
	if !res.Findings.HasErrors() {
		if err := codec.WriteYAML(&objs, res.Objects); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
	}
	if err := finding.PrintText(&fs, res.Findings); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.ToSlash(dir) + "/"
	return objs.String(), strings.ReplaceAll(fs.String(), prefix, "")
}

// TestRenderIsDeterministic renders every case twice in one process, so map
// iteration order can not leak into output.
func TestRenderIsDeterministic(t *testing.T) {
	cases, _ := os.ReadDir(goldenRoot)
	for _, c := range cases {
		dir := filepath.Join(goldenRoot, c.Name())
		a1, f1 := renderCase(t, dir)
		a2, f2 := renderCase(t, dir)
		if a1 != a2 || f1 != f2 {
			t.Errorf("%s: two renders differ", c.Name())
		}
	}
}
