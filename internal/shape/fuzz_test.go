package shape

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// FuzzCheck runs the shape checks on whatever the reader accepts: no
// panics, and the same findings every time.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/hostile/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes, _ := source.ReadBytes(data, "in.yaml")
		for _, n := range nodes {
			a, b := Check(n), Check(n)
			if len(a) != len(b) {
				t.Fatalf("two checks differ: %v / %v", a, b)
			}
			if c := (&Shared{}).Check(n); !reflect.DeepEqual(a, c) {
				t.Fatalf("Shared.Check differs from Check: %v / %v", c, a)
			}
		}
	})
}
