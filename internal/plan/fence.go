package plan

import (
	"html"
	"strings"
)

// longestRun is the length of the longest run of ch in s.
func longestRun(s string, ch byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != ch {
			run = 0
			continue
		}
		run++
		if run > longest {
			longest = run
		}
	}
	return longest
}

// fence is a code fence that no line of body can close: one backtick longer
// than the longest run of backticks in body, and at least three. A diff of a
// Markdown file or of a YAML value that holds ``` stays inside its block.
func fence(body string) string {
	n := longestRun(body, '`') + 1
	if n < 3 {
		n = 3
	}
	return strings.Repeat("`", n)
}

// inlineCode is s as a Markdown code span, with a delimiter longer than any
// run of backticks in s (padded with spaces when s starts or ends with one).
func inlineCode(s string) string {
	d := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return d + s + d
}

// htmlCode is s inside an HTML <code> element, escaped, for places where
// Markdown is not parsed (the <summary> of a <details> section).
func htmlCode(s string) string {
	return "<code>" + html.EscapeString(s) + "</code>"
}
