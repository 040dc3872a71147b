package pipeline

import (
	"io"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/benchgen"
)

// BenchmarkRender measures read + validate + expand + sort + write of a
// directory of 1,000 instances and their gateways (3,000 objects out).
func BenchmarkRender(b *testing.B) {
	dir := b.TempDir()
	if err := benchgen.Write(dir, 1000, 100); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Run(Options{Paths: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if res.Findings.HasErrors() || len(res.Objects) != 3000 {
			b.Fatalf("got %d objects and %v", len(res.Objects), res.Findings)
		}
		if err := WriteYAML(io.Discard, res.Objects); err != nil {
			b.Fatal(err)
		}
	}
}
