package cli

import (
	"errors"
	"fmt"
)

// Exit codes, decided here and nowhere else (see docs/commands).
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2 // plan --detailed-exitcode: the cluster would change
)

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

// errReported means: the command has already told the user what went wrong
// (findings on stderr); exit 1 without another message.
var errReported = &exitError{code: ExitError, reported: true}

// withCode ends the command with code and no further message.
func withCode(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code, reported: true}
}

// ExitCode maps a command's error to the process exit status, and says
// whether main should still print the error.
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
