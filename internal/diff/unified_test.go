package diff

import (
	"fmt"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	before := "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n"
	after := "a: 1\nb: 2\nc: 30\nd: 4\ne: 5\nf: 6\n"
	got := Unified("Deployment/shop/edge", before, after, 1)
	want := `--- live/Deployment/shop/edge
+++ desired/Deployment/shop/edge
@@ -2,4 +2,5 @@
 b: 2
-c: 3
+c: 30
 d: 4
 e: 5
+f: 6
`
	if got != want {
		t.Errorf("Unified =\n%s\nwant\n%s", got, want)
	}
}

func TestUnifiedEqualIsEmpty(t *testing.T) {
	if got := Unified("x", "a\n", "a\n", 3); got != "" {
		t.Errorf("Unified of equal texts = %q", got)
	}
	if got := Unified("x", "", "", 3); got != "" {
		t.Errorf("Unified of empty texts = %q", got)
	}
}

func TestUnifiedCreateAndDelete(t *testing.T) {
	created := Unified("Service/shop/edge", "", "a: 1\nb: 2\n", 3)
	want := "--- live/Service/shop/edge\n+++ desired/Service/shop/edge\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n"
	if created != want {
		t.Errorf("create diff =\n%q\nwant\n%q", created, want)
	}
	deleted := Unified("Service/shop/edge", "a: 1\n", "", 3)
	want = "--- live/Service/shop/edge\n+++ desired/Service/shop/edge\n@@ -1 +0,0 @@\n-a: 1\n"
	if deleted != want {
		t.Errorf("delete diff =\n%q\nwant\n%q", deleted, want)
	}
}

func TestUnifiedMissingFinalNewline(t *testing.T) {
	got := Unified("x", "a\n", "a", 3)
	want := "--- live/x\n+++ desired/x\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("Unified =\n%q\nwant\n%q", got, want)
	}
}

func TestUnifiedSeparateHunksAndDefaultContext(t *testing.T) {
	var b, a strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "line%d\n", i)
		if i == 2 || i == 25 {
			fmt.Fprintf(&a, "changed%d\n", i)
			continue
		}
		fmt.Fprintf(&a, "line%d\n", i)
	}
	got := Unified("x", b.String(), a.String(), -1)
	if n := strings.Count(got, "\n@@ "); n != 2 {
		t.Errorf("want 2 hunks, got %d:\n%s", n, got)
	}
	if !strings.Contains(got, "@@ -1,6 +1,6 @@\n line0\n") || !strings.Contains(got, "@@ -23,7 +23,7 @@\n line22\n") {
		t.Errorf("unexpected hunks (default context 3):\n%s", got)
	}
}

// Lines that repeat throughout a long object (`protocol: TCP`) must still
// anchor the diff: one changed value shows as one removed and one added line,
// not as the whole object rewritten.
func TestUnifiedLongRepetitiveObject(t *testing.T) {
	same := strings.Repeat("  protocol: TCP\n", 150)
	before := same + "  port: 80\n" + same
	after := same + "  port: 8080\n" + same
	got := Unified("x", before, after, 0)
	want := "--- live/x\n+++ desired/x\n@@ -151 +151 @@\n-  port: 80\n+  port: 8080\n"
	if got != want {
		t.Errorf("Unified =\n%s\nwant\n%s", got, want)
	}
}
