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
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// goldenRoot holds one folder per case: input/ (the directory given to the
// tool), and per Kuma release the expected render output and validate
// findings: expected.yaml and findings.txt for the default release
// (kuma.DefaultLine), expected-2.7.yaml and findings-2.7.txt for the
// others. Every case renders for goldenLines; a case with a file named
// versions renders for the releases listed there ("all" is every supported
// release). A new case is a new folder; `make golden`
// writes its expected files, which a reviewer then reads.
const goldenRoot = "../../testdata/golden"

// goldenLines are the releases every case renders for: the oldest, the one
// the first goldens were written for, the default and the newest.
var goldenLines = []string{"2.7", "2.9", kuma.DefaultLine, "2.14"}

// caseLines are the releases a case renders for: goldenLines, plus those
// its versions file lists ("all" is every supported release), oldest first.
func caseLines(t *testing.T, dir string) []string {
	t.Helper()
	want := map[string]bool{}
	for _, l := range goldenLines {
		want[l] = true
	}
	if b, err := os.ReadFile(filepath.Join(dir, "versions")); err == nil {
		for _, v := range strings.Fields(string(b)) {
			if v == "all" {
				return kuma.Lines()
			}
			r, err := kuma.Lookup(v)
			if err != nil {
				t.Fatalf("%s/versions: %v", dir, err)
			}
			want[r.Line] = true
		}
	}
	var out []string
	for _, l := range kuma.Lines() {
		if want[l] {
			out = append(out, l)
		}
	}
	return out
}

// goldenFile is name.ext for the default release, name-LINE.ext otherwise.
func goldenFile(dir, name, ext, line string) string {
	if line == kuma.DefaultLine {
		return filepath.Join(dir, name+ext)
	}
	return filepath.Join(dir, name+"-"+line+ext)
}

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
			for _, line := range caseLines(t, dir) {
				yamlOut, findings := renderCase(t, dir, line)
				golden.Compare(t, goldenFile(dir, "expected", ".yaml", line), yamlOut)
				golden.Compare(t, goldenFile(dir, "findings", ".txt", line), findings)
			}
		})
	}
}

// renderCase runs the pipeline as `render --kuma-version LINE` and
// `validate` do: objects only when there is no error, findings always, with
// paths relative to the case.
func renderCase(t *testing.T, dir, line string) (string, string) {
	t.Helper()
	opts := Options{Paths: []string{filepath.Join(dir, "input")}, DefaultNamespace: "default", KumaVersion: line}
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
		a1, f1 := renderCase(t, dir, kuma.DefaultLine)
		a2, f2 := renderCase(t, dir, kuma.DefaultLine)
		if a1 != a2 || f1 != f2 {
			t.Errorf("%s: two renders differ", c.Name())
		}
	}
}
