package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/golden"
)

// krmRoot holds one folder per KRM case: input.yaml (the ResourceList on
// stdin), expected.yaml (stdout), and, for generator cases, the folders the
// functionConfig names, relative to the case (the kustomization directory
// of a real run). `go test ./internal/pipeline -run KRMGolden -update`
// writes expected.yaml.
const krmRoot = "../../testdata/krm"

func TestKRMGolden(t *testing.T) {
	cases, err := os.ReadDir(krmRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		dir := filepath.Join(krmRoot, c.Name())
		t.Run(c.Name(), func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(dir, "input.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			f := &Function{WorkDir: dir, DefaultNamespace: "default"}
			findings, err := RunFunction(bytes.NewReader(in), &out, f)
			if err != nil {
				t.Fatalf("RunFunction: %v", err)
			}
			golden.Compare(t, filepath.Join(dir, "expected.yaml"), out.String())
			// The exit status follows the results: a case named invalid-*
			// must fail, any other must not.
			if want := strings.HasPrefix(c.Name(), "invalid-"); findings.HasErrors() != want {
				t.Errorf("error results = %v, want %v (case name says)", findings.HasErrors(), want)
			}
		})
	}
}
