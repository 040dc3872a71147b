package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden prints every case in every format and compares the bytes with
// testdata/<case>.<format>. Run `go test ./internal/plan -update` after an
// intended change of the output, then review the diff of testdata/.
func TestGolden(t *testing.T) {
	for _, gc := range goldenCases(t) {
		outputs := map[string]func(*bytes.Buffer) error{
			"txt":  func(b *bytes.Buffer) error { return PrintText(b, gc.plan, TextOptions{}) },
			"json": func(b *bytes.Buffer) error { return PrintJSON(b, gc.plan) },
			"md":   func(b *bytes.Buffer) error { return PrintMarkdown(b, gc.plan, gc.markdown) },
		}
		if gc.color {
			outputs["color.txt"] = func(b *bytes.Buffer) error { return PrintText(b, gc.plan, TextOptions{Color: true}) }
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
				compareGolden(t, filepath.Join("testdata", gc.name+"."+ext), got.Bytes())
			})
		}
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/plan -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./internal/plan -update and review the diff)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
