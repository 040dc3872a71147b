package pipeline

import (
	"runtime/metrics"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/benchgen"
	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
)

// BenchmarkPlanInputs measures what plan and apply do with the inputs
// before their first request: read and validate once, then match and
// expand once with the live context (here none), then convert to the maps
// client-go sends. 1,000 instances with their gateways.
func BenchmarkPlanInputs(b *testing.B) {
	dir := b.TempDir()
	const n = 1000
	if err := benchgen.Write(dir, n, 100); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	gc := gcCPU()
	for b.Loop() {
		in, err := Read(Options{Paths: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if in.Findings().HasErrors() {
			b.Fatal(in.Findings())
		}
		res, err := in.Expand(Live{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Objects) != 3*n {
			b.Fatalf("got %d objects", len(res.Objects))
		}
		clean, err := codec.Clean(res.Objects)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range clean {
			if _, err := codec.Value(o); err != nil {
				b.Fatal(err)
			}
		}
	}
	gc.report(b)
}

// gcShare reads the share of CPU time the garbage collector took between
// its creation and report (runtime/metrics' estimate), for benchmarks
// whose cost is mostly allocation.
type gcShare struct{ gc, total float64 }

var gcMetrics = []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}

func gcCPU() gcShare {
	s := append([]metrics.Sample(nil), gcMetrics...)
	metrics.Read(s)
	return gcShare{gc: s[0].Value.Float64(), total: s[1].Value.Float64()}
}

func (g gcShare) report(b *testing.B) {
	now := gcCPU()
	if total := now.total - g.total; total > 0 {
		b.ReportMetric(100*(now.gc-g.gc)/total, "gc-cpu-%")
	}
}
