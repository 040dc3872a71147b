package diff

import (
	"fmt"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// Labels of the two sides in a diff header: the object as it is in the
// cluster, and as the cluster would hold it after applying the directory.
const (
	LiveLabel    = "live"
	DesiredLabel = "desired"
)

// DefaultContext is the number of unchanged lines shown around a change, as
// in diff -u and kubectl diff.
const DefaultContext = 3

// noNewline marks a last line that has no line break, as GNU diff does.
const noNewline = "\\ No newline at end of file\n"

// Unified returns the unified diff of before and after with headers
// "--- live/NAME" and "+++ desired/NAME", or "" when the texts are equal.
// context is the number of unchanged lines around each change; a negative
// value means DefaultContext.
func Unified(name string, before, after string, context int) string {
	if before == after {
		return ""
	}
	if context < 0 {
		context = DefaultContext
	}
	a, b := splitLines(before), splitLines(after)
	// Auto-junk is off: with it, lines that repeat often in a long object
	// (`- name: ...`, `protocol: TCP`) could not anchor a match, and the
	// diff of a large Deployment would show whole blocks as rewritten.
	m := difflib.NewMatcherWithJunk(a, b, false, nil)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s/%s\n+++ %s/%s\n", LiveLabel, name, DesiredLabel, name)
	for _, group := range m.GetGroupedOpCodes(context) {
		writeHunk(&out, a, b, group)
	}
	return out.String()
}

// writeHunk writes one "@@ -l,n +l,n @@" hunk and its lines.
func writeHunk(out *strings.Builder, a, b []string, group []difflib.OpCode) {
	first, last := group[0], group[len(group)-1]
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(first.I1, last.I2), hunkRange(first.J1, last.J2))
	for _, op := range group {
		if op.Tag == 'e' {
			writeLines(out, ' ', a[op.I1:op.I2])
			continue
		}
		if op.Tag == 'r' || op.Tag == 'd' {
			writeLines(out, '-', a[op.I1:op.I2])
		}
		if op.Tag == 'r' || op.Tag == 'i' {
			writeLines(out, '+', b[op.J1:op.J2])
		}
	}
}

// writeLines writes lines with a prefix; a line without its line break (the
// last of a text that does not end in one) is followed by the marker.
func writeLines(out *strings.Builder, prefix byte, lines []string) {
	for _, l := range lines {
		out.WriteByte(prefix)
		out.WriteString(l)
		if !strings.HasSuffix(l, "\n") {
			out.WriteString("\n" + noNewline)
		}
	}
}

// hunkRange is the "start,count" of a hunk header, 1-based; the count is
// left out when it is 1, and an empty range starts at the line before it.
func hunkRange(start, stop int) string {
	n := stop - start
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	default:
		return fmt.Sprintf("%d,%d", start+1, n)
	}
}

// splitLines splits s into lines that keep their line breaks, so that a last
// line with and without a break compare different. "" has no lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
