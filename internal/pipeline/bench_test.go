package pipeline

import (
	"fmt"
	"io"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/benchgen"
	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
)

// BenchmarkRender measures read + validate + expand + sort + write of
// directories of 1,000 and 10,000 instances and their gateways (3 objects
// out per instance).
func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchmarkRender(b, n) })
	}
}

func benchmarkRender(b *testing.B, n int) {
	dir := b.TempDir()
	if err := benchgen.Write(dir, n, 100); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	gc := gcCPU()
	for b.Loop() {
		res, err := Run(Options{Paths: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if res.Findings.HasErrors() || len(res.Objects) != 3*n {
			b.Fatalf("got %d objects and %v", len(res.Objects), res.Findings)
		}
		if err := codec.WriteYAML(io.Discard, res.Objects); err != nil {
			b.Fatal(err)
		}
	}
	gc.report(b)
}
