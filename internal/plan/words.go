package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// actionCount is one row of a summary.
type actionCount struct {
	Action Action
	Count  int
}

// rows lists every action of Actions in order, with zero counts included so
// that the summary always has the same shape, followed by any action not in
// Actions (sorted) so that nothing in a plan goes uncounted.
func (s Summary) rows() []actionCount {
	rows := make([]actionCount, 0, len(Actions))
	known := map[Action]bool{}
	for _, a := range Actions {
		known[a] = true
		rows = append(rows, actionCount{a, s[a]})
	}
	var extra []string
	for a := range s {
		if !known[a] {
			extra = append(extra, string(a))
		}
	}
	sort.Strings(extra)
	for _, a := range extra {
		rows = append(rows, actionCount{Action(a), s[Action(a)]})
	}
	return rows
}

// phrase is the count of one action as the summary sentence says it.
func (r actionCount) phrase() string {
	return fmt.Sprintf(wordsOf(r.Action).phrase, r.Count)
}

// Sentence is the one-line summary, e.g. "Plan: 2 to create, 1 to update,
// 0 to replace, 0 to delete, 1 with conflicts, 0 rejected, 3 unchanged."
func (s Summary) Sentence() string {
	rows := s.rows()
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = r.phrase()
	}
	return "Plan: " + strings.Join(parts, ", ") + "."
}

// NoChanges is what the printers say when applying would change nothing.
const NoChanges = "No changes. The cluster matches the directory."

// ConflictAdvice says how to resolve conflicts; printers add it after the
// conflicting fields.
const ConflictAdvice = "Run apply with --force-conflicts to take ownership, or remove these fields from the directory."

// TakeOverSentence says what a takeover does to the pods, for printers.
func TakeOverSentence(t *TakeOverInfo) string {
	if t == nil {
		return ""
	}
	if !t.RestartsPods {
		return "Pods do not restart: the rendered pod template equals the live one."
	}
	return "Pods restart: the rendered pod template differs from the live one in " + strings.Join(t.PodTemplateFields, ", ") + "."
}

// TakeOverSteps is the order apply --take-over follows, for printers.
const TakeOverSteps = "apply --take-over takes ownership of the rendered fields from Kuma's controller, removes the ownerReference to the instance, then deletes the instance with propagationPolicy Orphan; the objects are never deleted."

// ReplaceAdvice says how to apply a Replace; printers add it after the
// server's reason.
const ReplaceAdvice = "apply refuses this change: undo it in the directory, or run apply with --recreate to delete the object and create it again (what the server allocated, such as a Service's cluster IP, is lost)."

// ErrorAdvice follows the server's message of an Error.
const ErrorAdvice = "Fix the object in the directory; apply would fail on it."

// changed lists the changes that printers show one by one: every change
// whose action is not Unchanged, in plan order.
func changed(p *Plan) []Change {
	if p == nil {
		return nil
	}
	var out []Change
	for _, c := range p.Changes {
		if c.Action != Unchanged {
			out = append(out, c)
		}
	}
	return out
}

// summaryOf is the summary of a possibly nil plan.
func summaryOf(p *Plan) Summary {
	if p == nil {
		return Summary{}
	}
	return p.Summary()
}

// actionAdvice is what a person does about an action that apply cannot
// carry out as it is; "" for the others (conflicts have their own advice
// after the fields).
func actionAdvice(a Action) string {
	switch a {
	case Replace:
		return ReplaceAdvice
	case Error:
		return ErrorAdvice
	default:
		return ""
	}
}

// findingsHeading is the title of the findings section with its counts,
// e.g. "Findings (1 error, 2 warnings)".
func findingsHeading(l finding.List) string {
	e, w := l.Count(finding.Error), l.Count(finding.Warning)
	return fmt.Sprintf("Findings (%d %s, %d %s, %d info)", e, plural(e, "error", "errors"), w, plural(w, "warning", "warnings"), l.Count(finding.Info))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
