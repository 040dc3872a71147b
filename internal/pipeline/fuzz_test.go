package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// FuzzPipeline feeds arbitrary bytes through read, validate and expand. The
// property: no input makes it panic, and an input without error findings
// renders to YAML. The seed corpus is every golden input file.
func FuzzPipeline(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(goldenRoot, "*", "input", "*.yaml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: a}\nspec: 5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, findings := source.ReadBytes(data, "fuzz.yaml")
		ctx := &Context{Config: config.Default(), Findings: findings}
		out, err := Process(ctx, nodes)
		if err != nil {
			return
		}
		if !ctx.Findings.HasErrors() {
			var sink discard
			if err := codec.WriteYAML(&sink, out); err != nil {
				t.Fatalf("valid input did not render: %v", err)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
