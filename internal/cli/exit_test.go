package cli

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// Every exit code is decided by codeFor; these are the cases of the table in
// docs/architecture.md ("Exit codes").
func TestCodeFor(t *testing.T) {
	tests := []struct {
		name     string
		plan     *plan.Plan
		detailed bool
		want     int
	}{
		{"nil plan", nil, true, 0},
		{"empty", &plan.Plan{}, true, 0},
		{"unchanged only", &plan.Plan{Changes: []plan.Change{{Action: plan.Unchanged}}}, true, 0},
		{"create", &plan.Plan{Changes: []plan.Change{{Action: plan.Unchanged}, {Action: plan.Create}}}, true, 2},
		{"conflict counts as change", &plan.Plan{Changes: []plan.Change{{Action: plan.Conflict}}}, true, 2},
		{"delete", &plan.Plan{Changes: []plan.Change{{Action: plan.Delete}}}, true, 2},
		{"take-over", &plan.Plan{Changes: []plan.Change{{Action: plan.TakeOver}}}, true, 2},
		{"changes without detailed", &plan.Plan{Changes: []plan.Change{{Action: plan.Update}}}, false, 0},
		{"replace counts as change", &plan.Plan{Changes: []plan.Change{{Action: plan.Replace}}}, true, 2},
		{"error is 1 without detailed", &plan.Plan{Changes: []plan.Change{{Action: plan.Create}, {Action: plan.Error}}}, false, 1},
		{"error is 1 with detailed", &plan.Plan{Changes: []plan.Change{{Action: plan.Create}, {Action: plan.Error}}}, true, 1},
		{"error finding is 1", &plan.Plan{Findings: finding.List{{Severity: finding.Error}}}, true, 1},
		{"warning finding is not", &plan.Plan{Findings: finding.List{{Severity: finding.Warning}}}, false, 0},
	}
	warning := finding.List{{Severity: finding.Warning}}
	for _, r := range []struct {
		name string
		res  result
		want int
	}{
		{"no findings", result{}, ExitOK},
		{"an error finding", result{findings: finding.List{{Severity: finding.Info}, {Severity: finding.Error}}}, ExitError},
		{"a warning", result{findings: warning}, ExitOK},
		{"a warning with --strict", result{findings: warning, strict: true}, ExitError},
	} {
		if got := codeFor(r.res); got != r.want {
			t.Errorf("%s: codeFor = %d, want %d", r.name, got, r.want)
		}
	}
	for _, tt := range tests {
		if got := codeFor(result{plan: tt.plan, detailed: tt.detailed}); got != tt.want {
			t.Errorf("%s: codeFor = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestExitCodeOfErrors(t *testing.T) {
	if code, print := ExitCode(nil); code != ExitOK || print {
		t.Errorf("nil: %d %v", code, print)
	}
	if code, print := ExitCode(errors.New("boom")); code != ExitError || !print {
		t.Errorf("plain error: %d %v", code, print)
	}
	changes := exitWith(result{plan: &plan.Plan{Changes: []plan.Change{{Action: plan.Create}}}, detailed: true})
	if code, print := ExitCode(fmt.Errorf("wrapped: %w", changes)); code != ExitChanges || print {
		t.Errorf("plan with changes: %d %v", code, print)
	}
	if exitWith(result{}) != nil {
		t.Error("a clean result must end without an error")
	}
}
