package cli

import (
	"errors"
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// Exit codes, decided here and nowhere else: a command hands its result to
// codeFor, main hands the command's error to ExitCode. docs/architecture.md
// ("Exit codes") has the table.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2 // plan --detailed-exitcode: the cluster would change
)

// result is what a command ended with, as far as its exit status goes.
type result struct {
	// findings fail the run when one is an error, or with strict (validate
	// --strict) a warning.
	findings finding.List
	strict   bool
	// plan, when computed, fails the run when it holds errors (rejected
	// objects, error findings); with detailed (--detailed-exitcode), a plan
	// in which anything would change (conflicts and replacements included:
	// apply would not succeed as is) exits ExitChanges.
	plan     *plan.Plan
	detailed bool
}

// codeFor is the one mapping from a command's result to its exit code.
func codeFor(r result) int {
	switch {
	case r.findings.HasErrors(), r.strict && r.findings.Count(finding.Warning) > 0:
		return ExitError
	case r.plan != nil && r.plan.HasErrors():
		return ExitError
	case r.detailed && r.plan != nil && r.plan.HasChanges():
		return ExitChanges
	}
	return ExitOK
}

// exitError carries an exit code other than 1 (and errors already reported
// to the user, which main must not print again).
type exitError struct {
	code     int
	err      error
	reported bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitWith ends the command with the code of r and no further message: the
// command has printed what r holds.
func exitWith(r result) error {
	if code := codeFor(r); code != ExitOK {
		return &exitError{code: code, reported: true}
	}
	return nil
}

// ExitCode maps a command's error to the process exit status, and says
// whether main should still print the error: nil is ExitOK, an error that
// carries a code (exitWith) has that code, any other error is ExitError.
func ExitCode(err error) (code int, print bool) {
	if err == nil {
		return ExitOK, false
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code, !e.reported
	}
	return ExitError, true
}
