package source

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkReadManyFiles reads 50 MB of manifests spread over many files
// (ConfigMaps of about 500 bytes, 100,000 objects in all), each file well
// under --max-file-size, and reports the peak heap beside the input size:
// the per-file limit alone does not bound what many files together take.
func BenchmarkReadManyFiles(b *testing.B) {
	for _, files := range benchFiles {
		b.Run(fmt.Sprint(files), func(b *testing.B) { benchmarkReadManyFiles(b, files, 100_000) })
	}
}

var benchFiles = []int{10, 1000}

func benchmarkReadManyFiles(b *testing.B, files, objects int) {
	dir := b.TempDir()
	var size int64
	per := objects / files
	for f := 0; f < files; f++ {
		var sb strings.Builder
		for i := 0; i < per; i++ {
			fmt.Fprintf(&sb, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%05d-%05d\n  namespace: team-%03d\n  labels: {app: edge, team: web}\ndata:\n  config.yaml: |\n    %s\n", f, i, i%100, strings.Repeat("x", 330))
		}
		p := filepath.Join(dir, fmt.Sprintf("f-%05d.yaml", f))
		if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		size += int64(sb.Len())
	}
	b.ReportAllocs()
	b.SetBytes(size)
	var peak, live uint64
	for b.Loop() {
		runtime.GC()
		base := heapBytes()
		stop := sampleHeap(&peak)
		nodes, fs, err := Reader{Paths: []string{dir}, MaxInputSize: 1 << 30}.Read()
		stop()
		if err != nil || fs.HasErrors() || len(nodes) != per*files {
			b.Fatalf("%d objects, %v, %v", len(nodes), fs, err)
		}
		runtime.GC()
		live = max(live, heapBytes()-base)
		runtime.KeepAlive(nodes)
	}
	b.ReportMetric(float64(size)/1e6, "input-MB")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	// What the objects read keep alive: the floor of any run's memory.
	b.ReportMetric(float64(live)/1e6, "live-heap-MB")
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap records the largest heap (live and not yet collected objects)
// seen every millisecond until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > *peak {
				*peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
