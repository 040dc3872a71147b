package diff

import (
	"strings"
	"testing"
)

const sample = `--- live/ConfigMap/shop/c
+++ desired/ConfigMap/shop/c
@@ -1,3 +1,3 @@
 data:
--- old
+++ new
 kind: ConfigMap
`

func TestColorizeOff(t *testing.T) {
	if got := Colorize(sample, false); got != sample {
		t.Errorf("Colorize(off) changed the diff:\n%s", got)
	}
}

func TestColorizeOn(t *testing.T) {
	const (
		bold  = "\x1b[1m"
		cyan  = "\x1b[36m"
		red   = "\x1b[31m"
		green = "\x1b[32m"
		reset = "\x1b[0m"
		unset = "\x1b[22m" // bold's own reset
	)
	want := bold + "--- live/ConfigMap/shop/c" + unset + "\n" +
		bold + "+++ desired/ConfigMap/shop/c" + unset + "\n" +
		cyan + "@@ -1,3 +1,3 @@" + reset + "\n" +
		" data:\n" +
		// Inside the hunk these are a removed and an added line whose
		// text starts with "--" and "++", not headers.
		red + "--- old" + reset + "\n" +
		green + "+++ new" + reset + "\n" +
		" kind: ConfigMap\n"
	got := Colorize(sample, true)
	if got != want {
		t.Errorf("Colorize(on) =\n%q\nwant\n%q", got, want)
	}
	plain := strings.NewReplacer(bold, "", cyan, "", red, "", green, "", reset, "", unset, "").Replace(got)
	if plain != sample {
		t.Errorf("stripping colors does not give the diff back:\n%s", plain)
	}
}

func TestColorizeSecondDiffHeaders(t *testing.T) {
	two := "--- live/a\n+++ desired/a\n@@ -1 +1 @@\n-x\n+y\n--- live/b\n+++ desired/b\n@@ -1 +1 @@\n-x\n+y\n"
	got := Colorize(two, true)
	if strings.Count(got, "\x1b[1m") != 4 {
		t.Errorf("want 4 bold headers:\n%q", got)
	}
}

func TestColorizeEmptyAndOdd(t *testing.T) {
	if Colorize("", true) != "" {
		t.Errorf("Colorize of empty diff is not empty")
	}
	// A malformed hunk header must not panic.
	for _, s := range []string{"@@\n", "@@ -x,y +1 @@\n-a\n", "\n\n", "\\ marker"} {
		_ = Colorize(s, true)
	}
}
