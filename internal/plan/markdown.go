package plan

import (
	"fmt"
	"html"
	"io"
	"strings"
	"time"

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
	// Origin says which commit was planned against which cluster and when,
	// so a reviewer can tell a stale comment after a push. Empty fields are
	// left out.
	Origin Origin
	// Style is --diff-style; "" is DiffFull.
	Style DiffStyle
}

// Origin is where a plan comes from. It names the kubeconfig context and
// cluster, never the API server's address, which a comment must not leak.
type Origin struct {
	// Commit is the commit whose folder was planned.
	Commit string
	// Context and Cluster are the kubeconfig context and its cluster entry.
	Context string
	Cluster string
	// Time is when the plan was computed; zero leaves it out.
	Time time.Time
}

// PrintMarkdown writes the plan as a pull-request comment: a heading, the
// origin line, a table of counts, a verdict when apply would stop, and one
// collapsible section per object that would change. When the sections
// would take the output over MaxBytes, the last ones are left out and
// replaced by a list that names each object left out and its action; a
// section is never cut, so every code fence stays closed. The same plan
// and options always give the same bytes.
func PrintMarkdown(w io.Writer, p *Plan, opts MarkdownOptions) error {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMarkdownMaxBytes
	}
	if opts.Title == "" {
		opts.Title = DefaultMarkdownTitle
	}
	changes := changed(p)
	var b strings.Builder
	writeMarkdownHead(&b, p, opts, len(changes) == 0)
	if p != nil {
		writeMarkdownFindings(&b, p.Findings)
	}
	sections := make([]string, len(changes))
	for i, c := range changes {
		sections[i] = markdownSection(c, opts.Style)
	}
	shown := fitSections(b.Len(), sections, changes, opts.MaxBytes)
	for _, s := range sections[:shown] {
		b.WriteString(s)
	}
	if shown < len(changes) {
		b.WriteString(leftOut(changes, shown, opts.MaxBytes-b.Len(), opts.MaxBytes))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitSections is how many sections fit after a head of headLen bytes, with
// the list of the objects left out after them.
func fitSections(headLen int, sections []string, changes []Change, maxBytes int) int {
	total := headLen
	for _, s := range sections {
		total += len(s)
	}
	if total <= maxBytes {
		return len(sections)
	}
	// Grow the shown sections while they and the list of the rest fit.
	shown, used := 0, headLen
	for shown < len(sections) {
		next := used + len(sections[shown])
		if next+len(leftOut(changes, shown+1, maxBytes, maxBytes)) > maxBytes {
			break
		}
		used = next
		shown++
	}
	return shown
}

// leftOut names the changes from index shown on, one short line each, so a
// reviewer knows every object the comment does not show. When even the
// names exceed room, the last ones are counted instead of named.
func leftOut(changes []Change, shown, room, maxBytes int) string {
	rest := changes[shown:]
	var b strings.Builder
	fmt.Fprintf(&b, "\n**Output truncated** (size cap %d bytes): %d of %d changed objects are not shown in full. Run `kubectl mgi plan` locally to see their diffs. Not shown:\n\n",
		maxBytes, len(rest), len(changes))
	for i, c := range rest {
		line := "- " + wordsOf(c.Action).icon + " " + string(c.Action) + " " + inlineCode(c.Object.String()) + "\n"
		more := fmt.Sprintf("- … and %d more\n", len(rest)-i)
		if i < len(rest)-1 && b.Len()+len(line)+len(more) > room {
			b.WriteString(more)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// writeMarkdownHead writes the heading, the origin, the table of counts and
// the verdict.
func writeMarkdownHead(b *strings.Builder, p *Plan, opts MarkdownOptions, none bool) {
	s := summaryOf(p)
	b.WriteString("## " + opts.Title + "\n\n")
	if line := opts.Origin.line(); line != "" {
		b.WriteString(line + "\n\n")
	}
	b.WriteString("| Action | Objects |\n| --- | ---: |\n")
	for _, r := range s.rows() {
		fmt.Fprintf(b, "| %s %s | %d |\n", wordsOf(r.Action).icon, html.EscapeString(string(r.Action)), r.Count)
	}
	if v := verdict(p); v != "" {
		b.WriteString("\n:x: **Apply would stop** on " + v + ". This check fails until they are resolved (see below).\n")
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

// line is the origin as one line of Markdown, e.g.
// "Commit `0a1b2c3` · context `staging` (cluster `eu-1`) · 2026-01-02 15:04 UTC".
func (o Origin) line() string {
	var parts []string
	if o.Commit != "" {
		parts = append(parts, "Commit "+inlineCode(o.Commit))
	}
	switch {
	case o.Context != "" && o.Cluster != "" && o.Cluster != o.Context:
		parts = append(parts, "context "+inlineCode(o.Context)+" (cluster "+inlineCode(o.Cluster)+")")
	case o.Context != "":
		parts = append(parts, "context "+inlineCode(o.Context))
	case o.Cluster != "":
		parts = append(parts, "cluster "+inlineCode(o.Cluster))
	}
	if !o.Time.IsZero() {
		parts = append(parts, "planned "+o.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	return strings.Join(parts, " · ")
}

// verdict says on what apply would stop: "3 objects: 1 with conflicts,
// 2 rejected; 1 error finding", or is empty.
func verdict(p *Plan) string {
	if p == nil {
		return ""
	}
	var parts []string
	for _, r := range p.Summary().rows() {
		if r.Count > 0 && r.Action.Blocks() {
			parts = append(parts, r.phrase())
		}
	}
	var out []string
	if n := p.Blocking(); n > 0 {
		out = append(out, fmt.Sprintf("%d %s: %s", n, plural(n, "object", "objects"), strings.Join(parts, ", ")))
	}
	if n := p.Findings.Count(finding.Error); n > 0 {
		out = append(out, fmt.Sprintf("%d error %s", n, plural(n, "finding", "findings")))
	}
	return strings.Join(out, "; ")
}

// markdownSection is the collapsible section of one change.
func markdownSection(c Change, style DiffStyle) string {
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
	switch {
	case c.Diff != "" && style.brief(c):
		b.WriteString(inlineCode(briefLine(c)) + "\n\n")
	case c.Diff != "":
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
