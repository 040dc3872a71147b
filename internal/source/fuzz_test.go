package source

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadBytes feeds arbitrary bytes to the reader: it must never panic or
// hang (alias bombs included), reading is deterministic, and it reads what
// kio's ByteReader, the reference, reads (sameAsReference).
func FuzzReadBytes(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"))
	f.Add([]byte("a: &a [1,2]\nb: &b [*a,*a]\nc: [*b,*b,*b]\n"))
	f.Add([]byte("--- x\n---\n- a\n"))
	for _, in := range streamCases {
		f.Add([]byte(in))
	}
	files, _ := filepath.Glob("../../testdata/hostile/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n1, f1 := ReadBytes(data, "in.yaml")
		n2, f2 := ReadBytes(data, "in.yaml")
		if len(n1) != len(n2) || len(f1) != len(f2) {
			t.Fatalf("two reads differ: %d/%d objects, %d/%d findings", len(n1), len(n2), len(f1), len(f2))
		}
		if s := string(data); plain(s) != referencePlain(s) {
			t.Fatalf("plain %v, reference %v", plain(s), referencePlain(s))
		}
		for _, n := range n1 {
			if got, want := Ref(n), referenceRef(n); got != want {
				t.Fatalf("Ref %+v, reference %+v", got, want)
			}
		}
		if diff := sameAsReference(data); diff != "" {
			t.Fatalf("differs from kio's ByteReader: %s", diff)
		}
	})
}
