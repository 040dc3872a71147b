package diff

import (
	"strconv"
	"strings"

	"github.com/fatih/color"
)

// Palette holds the colors of a diff. Each color has its output switched on
// or off explicitly, so the result never depends on fatih/color's global
// NoColor (which looks at the process's stdout and NO_COLOR).
type Palette struct {
	Header  *color.Color
	Hunk    *color.Color
	Removed *color.Color
	Added   *color.Color
	Marker  *color.Color
}

// NewPalette returns the diff colors, enabled or not.
func NewPalette(enabled bool) Palette {
	return Palette{
		Header:  Switch(color.New(color.Bold), enabled),
		Hunk:    Switch(color.New(color.FgCyan), enabled),
		Removed: Switch(color.New(color.FgRed), enabled),
		Added:   Switch(color.New(color.FgGreen), enabled),
		Marker:  Switch(color.New(color.Faint), enabled),
	}
}

// Switch enables or disables c explicitly and returns it.
func Switch(c *color.Color, enabled bool) *color.Color {
	if enabled {
		c.EnableColor()
	} else {
		c.DisableColor()
	}
	return c
}

// Colorize colors a unified diff for a terminal: bold file headers, cyan hunk
// headers, red removed lines and green added lines. With enabled false it
// returns diff unchanged. Colors wrap each line's text, never its line break,
// so the output still splits into the same lines.
//
// Header lines are told apart from a removed line that starts with "--" by
// counting the lines each hunk header announces.
func Colorize(diff string, enabled bool) string {
	if !enabled || diff == "" {
		return diff
	}
	p := NewPalette(true)
	var out strings.Builder
	var oldLeft, newLeft int
	for _, line := range strings.SplitAfter(diff, "\n") {
		text := strings.TrimSuffix(line, "\n")
		eol := line[len(text):]
		if text == "" {
			out.WriteString(eol)
			continue
		}
		c := p.lineColor(text, oldLeft > 0 || newLeft > 0)
		switch c {
		case p.Hunk:
			oldLeft, newLeft = hunkCounts(text)
		case p.Removed:
			oldLeft--
		case p.Added:
			newLeft--
		case nil:
			if text[0] == ' ' {
				oldLeft--
				newLeft--
			}
		}
		if c != nil {
			text = c.Sprint(text)
		}
		out.WriteString(text + eol)
	}
	return out.String()
}

// lineColor picks the color of one diff line; nil leaves it plain.
func (p Palette) lineColor(text string, inHunk bool) *color.Color {
	switch {
	case strings.HasPrefix(text, "@@ "):
		return p.Hunk
	case text[0] == '\\':
		return p.Marker
	case !inHunk && (strings.HasPrefix(text, "--- ") || strings.HasPrefix(text, "+++ ")):
		return p.Header
	case text[0] == '-':
		return p.Removed
	case text[0] == '+':
		return p.Added
	default:
		return nil
	}
}

// hunkCounts reads the line counts of "@@ -l,n +l,n @@". A header it cannot
// read counts as empty, which only affects whether a following "--- " line
// is taken for a header.
func hunkCounts(header string) (oldCount, newCount int) {
	fields := strings.Fields(header)
	if len(fields) < 3 {
		return 0, 0
	}
	return rangeCount(fields[1]), rangeCount(fields[2])
}

// rangeCount is the count of "-l,n" or "+l" (1 when n is left out).
func rangeCount(r string) int {
	_, n, found := strings.Cut(r[1:], ",")
	if !found {
		return 1
	}
	count, err := strconv.Atoi(n)
	if err != nil {
		return 0
	}
	return count
}
