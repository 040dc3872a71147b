package plan

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// DefaultMarkdownMaxBytes keeps a comment below GitHub's limit of 65536
// characters for an issue or pull-request comment, with room for text a CI
// step adds around it.
const DefaultMarkdownMaxBytes = 60000

// DefaultMarkdownTitle is the heading when MarkdownOptions.Title is empty.
const DefaultMarkdownTitle = "kubectl mgi plan"

// MarkdownOptions controls the Markdown printer.
type MarkdownOptions struct {
	// MaxBytes caps the output; 0 or less means DefaultMarkdownMaxBytes.
	MaxBytes int
	// Title is the heading; empty means DefaultMarkdownTitle.
	Title string
}

// PrintMarkdown writes the plan as a pull-request comment: a heading, a table
// of counts, and one collapsible section per object that would change. When
// the next section would take the output over MaxBytes, no further sections
// are written and a note says how many objects are not shown; a section is
// never cut, so every code fence stays closed. The same plan always gives
// the same bytes.
func PrintMarkdown(w io.Writer, p *Plan, opts MarkdownOptions) error {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMarkdownMaxBytes
	}
	if opts.Title == "" {
		opts.Title = DefaultMarkdownTitle
	}
	changes := changed(p)
	var b strings.Builder
	writeMarkdownHead(&b, summaryOf(p), opts.Title, len(changes) == 0)
	if p != nil {
		writeMarkdownFindings(&b, p.Findings)
	}
	for i, c := range changes {
		section := markdownSection(c)
		left := len(changes) - i - 1
		need := len(section)
		if left > 0 {
			need += len(truncationNote(left, len(changes), opts.MaxBytes))
		}
		if b.Len()+need > opts.MaxBytes {
			b.WriteString(truncationNote(len(changes)-i, len(changes), opts.MaxBytes))
			break
		}
		b.WriteString(section)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMarkdownHead writes the heading and the table of counts.
func writeMarkdownHead(b *strings.Builder, s Summary, title string, none bool) {
	b.WriteString("## " + title + "\n\n")
	b.WriteString("| Action | Objects |\n| --- | ---: |\n")
	for _, r := range s.rows() {
		fmt.Fprintf(b, "| %s %s | %d |\n", wordsOf(r.Action).icon, html.EscapeString(string(r.Action)), r.Count)
	}
	if none {
		b.WriteString("\n" + NoChanges + "\n")
	}
}

// writeMarkdownFindings writes the findings of the run as a table, before
// the objects, so that a size cap never hides them.
func writeMarkdownFindings(b *strings.Builder, l finding.List) {
	if len(l) == 0 {
		return
	}
	b.WriteString("\n### " + html.EscapeString(findingsHeading(l)) + "\n\n")
	b.WriteString("| Severity | Rule | Object | Where | Message |\n| --- | --- | --- | --- | --- |\n")
	for _, f := range l {
		msg := f.Message
		if f.Field != "" {
			msg = f.Field + ": " + msg
		}
		fmt.Fprintf(b, "| %s %s | %s | %s | %s | %s |\n", severityIcon(f.Severity), f.Severity,
			tableCode(f.Rule), tableCode(f.Object.String()), tableCode(f.Pos.String()), tableText(msg))
	}
}

// tableText escapes s for a table cell: HTML, pipes and line breaks.
func tableText(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, "|", "&#124;")
	return strings.NewReplacer("\r\n", "<br>", "\n", "<br>", "\r", "<br>").Replace(s)
}

// tableCode is s as code inside a table cell, or empty.
func tableCode(s string) string {
	if s == "" {
		return ""
	}
	return "<code>" + tableText(s) + "</code>"
}

// severityIcon is the GitHub emoji shortcode of a severity.
func severityIcon(s finding.Severity) string {
	switch s {
	case finding.Error:
		return ":x:"
	case finding.Warning:
		return ":warning:"
	default:
		return ":information_source:"
	}
}

// markdownSection is the collapsible section of one change.
func markdownSection(c Change) string {
	var b strings.Builder
	b.WriteString("\n<details><summary>" + wordsOf(c.Action).icon + " <b>" + html.EscapeString(string(c.Action)) + "</b> " + htmlCode(c.Object.String()))
	switch {
	case c.Action == Delete:
		b.WriteString(" (prune)")
	case c.Source != "":
		b.WriteString(" from " + htmlCode(c.Source))
	}
	b.WriteString("</summary>\n\n")
	if c.Note != "" {
		b.WriteString("Note: " + html.EscapeString(c.Note) + "\n\n")
	}
	if t := c.TakeOver; t != nil {
		for _, o := range t.Objects {
			b.WriteString("- takes over " + inlineCode(o.String()) + "\n")
		}
		b.WriteString("\n" + TakeOverSentence(t) + "\n\n" + TakeOverSteps + "\n\n")
	}
	if c.Reason != "" {
		b.WriteString("Reason: " + html.EscapeString(c.Reason) + "\n\n")
	}
	if advice := actionAdvice(c.Action); advice != "" {
		b.WriteString(html.EscapeString(advice) + "\n\n")
	}
	if c.Diff != "" {
		d := c.Diff
		if !strings.HasSuffix(d, "\n") {
			d += "\n"
		}
		f := fence(d)
		b.WriteString(f + "diff\n" + d + f + "\n\n")
	}
	if len(c.Conflicts) > 0 {
		b.WriteString("Fields owned by another field manager:\n\n")
		for _, fc := range c.Conflicts {
			b.WriteString("- " + inlineCode(fc.Field) + " is owned by " + inlineCode(fc.Manager) + "\n")
		}
		b.WriteString("\nRun apply with `--force-conflicts` to take ownership, or remove these fields from the directory.\n\n")
	}
	b.WriteString("</details>\n")
	return b.String()
}

// truncationNote ends output that hit the size cap.
func truncationNote(notShown, total, maxBytes int) string {
	return fmt.Sprintf("\n**Output truncated:** %d of %d changed objects are not shown (size cap %d bytes). Run `kubectl mgi plan` locally to see them.\n",
		notShown, total, maxBytes)
}
