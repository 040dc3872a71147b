package plan

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/golden"
)

// TestGolden prints every case in every format and compares the bytes with
// testdata/<case>.<format>. Run `go test ./internal/plan -update` after an
// intended change of the output, then review the diff of testdata/.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases(t) {
		outputs := map[string]func(*bytes.Buffer) error{
			"txt":  func(b *bytes.Buffer) error { return PrintText(b, gc.plan, TextOptions{}) },
			"json": func(b *bytes.Buffer) error { return PrintJSON(b, gc.plan, JSONOptions{}) },
			"md":   func(b *bytes.Buffer) error { return PrintMarkdown(b, gc.plan, gc.markdown) },
		}
		if gc.color {
			outputs["color.txt"] = func(b *bytes.Buffer) error { return PrintText(b, gc.plan, TextOptions{Color: true}) }
		}
		if gc.variants {
			outputs["compact.txt"] = func(b *bytes.Buffer) error { return PrintText(b, gc.plan, TextOptions{Style: DiffCompact}) }
			compact := gc.markdown
			compact.Style = DiffCompact
			outputs["compact.md"] = func(b *bytes.Buffer) error { return PrintMarkdown(b, gc.plan, compact) }
			outputs["objects.json"] = func(b *bytes.Buffer) error { return PrintJSON(b, gc.plan, JSONOptions{Objects: true}) }
		}
		for ext, print := range outputs {
			t.Run(gc.name+"."+ext, func(t *testing.T) {
				var got, again bytes.Buffer
				if err := print(&got); err != nil {
					t.Fatal(err)
				}
				if err := print(&again); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), again.Bytes()) {
					t.Fatalf("two prints of the same plan differ")
				}
				for _, s := range secretValues {
					if strings.Contains(got.String(), s) {
						t.Errorf("output shows secret value %q", s)
					}
				}
				golden.Compare(t, filepath.Join("testdata", gc.name+"."+ext), got.String())
			})
		}
	}
}
