package plan

import (
	"fmt"
	"strings"
)

// DiffStyle is how the text and Markdown printers show each object's
// change (--diff-style).
type DiffStyle string

const (
	// DiffFull shows every change as a unified diff: a create or a delete
	// is the whole object, line by line (what kubectl diff shows).
	DiffFull DiffStyle = "full"
	// DiffCompact shows a create or a delete as one line with the object's
	// key fields (Change.Brief) and its size; updates, replaces and
	// conflicts keep their hunks.
	DiffCompact DiffStyle = "compact"
)

// DiffStyles lists the styles, the default first.
var DiffStyles = []DiffStyle{DiffFull, DiffCompact}

// ParseDiffStyle reads --diff-style; "" is DiffFull.
func ParseDiffStyle(s string) (DiffStyle, error) {
	if s == "" {
		return DiffFull, nil
	}
	for _, d := range DiffStyles {
		if string(d) == s {
			return d, nil
		}
	}
	return "", fmt.Errorf("--diff-style %q is not supported; use full or compact", s)
}

// brief reports whether style shows c as one line instead of its diff:
// a compact create or delete. A create with conflicts keeps its diff, which
// is what --force-conflicts would write.
func (style DiffStyle) brief(c Change) bool {
	return style == DiffCompact && (c.Action == Create || c.Action == Delete) && len(c.Conflicts) == 0
}

// briefLine is the compact stand-in for a create's or a delete's diff: its
// key fields and how many lines the full style would show, e.g.
// "replicas 2, image kumahq/kuma-dp:2.13.0 (41 lines)".
func briefLine(c Change) string {
	text := c.After
	if c.Action == Delete {
		text = c.Before
	}
	n := strings.Count(text, "\n")
	if text != "" && !strings.HasSuffix(text, "\n") {
		n++
	}
	switch {
	case n == 0:
		return c.Brief
	case c.Brief == "":
		return fmt.Sprintf("(%d %s)", n, plural(n, "line", "lines"))
	default:
		return fmt.Sprintf("%s (%d %s)", c.Brief, n, plural(n, "line", "lines"))
	}
}
