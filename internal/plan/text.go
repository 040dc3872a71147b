package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
)

// TextOptions controls the text printer.
type TextOptions struct {
	// Color adds terminal colors; the caller decides (--color, NO_COLOR,
	// whether the writer is a terminal).
	Color bool
	// Style is --diff-style; "" is DiffFull.
	Style DiffStyle
	// OmitDiffs leaves every diff out: KUBECTL_EXTERNAL_DIFF's program
	// shows them instead.
	OmitDiffs bool
}

// PrintText writes the plan for a person at a terminal: a summary line, then
// for each object that would change a header, the server's reason (replace,
// error), its diff and its conflicts, then the findings of the run.
// Unchanged objects are only counted. A nil plan prints as an empty one.
func PrintText(w io.Writer, p *Plan, opts TextOptions) error {
	var b strings.Builder
	b.WriteString(summaryOf(p).Sentence() + "\n")
	changes := changed(p)
	if len(changes) == 0 {
		b.WriteString(NoChanges + "\n")
	}
	for _, c := range changes {
		b.WriteString("\n")
		writeTextChange(&b, c, opts)
	}
	if p != nil && len(p.Findings) > 0 {
		b.WriteString("\n" + findingsHeading(p.Findings) + ":\n")
		for _, f := range p.Findings {
			b.WriteString("  " + f.String() + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTextChange writes one change: header, note, diff, conflicts.
func writeTextChange(b *strings.Builder, c Change, opts TextOptions) {
	w := wordsOf(c.Action)
	header := w.symbol + " " + c.Object.String() + " " + w.outcome
	if c.Source != "" {
		header += " (from " + c.Source + ")"
	}
	showDiff := c.Diff != "" && !opts.OmitDiffs
	if opts.Style.brief(c) && showDiff {
		if line := briefLine(c); line != "" {
			header += ": " + line
		}
		showDiff = false
	}
	b.WriteString(headerColor(c.Action, opts.Color).Sprint(header) + "\n")
	if c.Note != "" {
		b.WriteString("  Note: " + c.Note + "\n")
	}
	writeTextTakeOver(b, c.TakeOver)
	if c.Reason != "" {
		b.WriteString("  Reason: " + c.Reason + "\n")
	}
	if advice := actionAdvice(c.Action); advice != "" {
		b.WriteString("  " + advice + "\n")
	}
	if showDiff {
		d := c.Diff
		if !strings.HasSuffix(d, "\n") {
			d += "\n"
		}
		b.WriteString(diff.Colorize(d, opts.Color))
	}
	if len(c.Conflicts) == 0 {
		return
	}
	if showDiff {
		// Keeps the indented conflict lines from reading as diff context.
		b.WriteString("\n")
	}
	for _, fc := range c.Conflicts {
		fmt.Fprintf(b, "  %s is owned by %q\n", fc.Field, fc.Manager)
	}
	b.WriteString("  " + ConflictAdvice + "\n")
}

// writeTextTakeOver lists the objects a takeover moves and whether pods restart.
func writeTextTakeOver(b *strings.Builder, t *TakeOverInfo) {
	if t == nil {
		return
	}
	for _, o := range t.Objects {
		b.WriteString("  takes over " + o.String() + "\n")
	}
	b.WriteString("  " + TakeOverSentence(t) + "\n")
	b.WriteString("  " + TakeOverSteps + "\n")
}

// headerColor is the color of an action's header line. Every color is
// switched on or off explicitly so output never depends on global state.
func headerColor(a Action, enabled bool) *color.Color {
	return diff.Switch(color.New(wordsOf(a).color, color.Bold), enabled)
}
