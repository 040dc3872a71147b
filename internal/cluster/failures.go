package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ObjectErrors is every object that failed in one pass, each with its own
// reason, in apply order. A report that named only the first failure would
// make a person fix one object per run.
type ObjectErrors []error

func (e ObjectErrors) Error() string {
	if len(e) == 1 {
		return e[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d objects failed:", len(e))
	for _, err := range e {
		b.WriteString("\n  ")
		b.WriteString(strings.ReplaceAll(err.Error(), "\n", "\n    "))
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As look at every failure.
func (e ObjectErrors) Unwrap() []error { return e }

func (e ObjectErrors) orNil() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// ErrInterrupted is the run being stopped (SIGINT or SIGTERM) before the
// server answered.
var ErrInterrupted = errors.New("interrupted (SIGINT/SIGTERM) before the API server answered")

// TimeoutError is the run stopped by its overall deadline (apply --timeout).
type TimeoutError struct {
	After time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("stopped after --timeout %s, the time allowed for the whole apply; raise --timeout to give it longer", e.After)
}

// WithTimeout bounds ctx by d; an error after the deadline says so (see
// StopCause).
func WithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, d, &TimeoutError{After: d})
}

// stoppedBy reports an error that the run's own stop (interruption or
// overall timeout) caused.
func stoppedBy(err error) bool {
	return errors.Is(err, ErrInterrupted) || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) || errors.As(err, new(*TimeoutError)) || isNetworkError(err)
}

// StopCause says why ctx is done: its overall timeout, or an interruption.
func StopCause(ctx context.Context) error {
	var te *TimeoutError
	if errors.As(context.Cause(ctx), &te) {
		return te
	}
	return ErrInterrupted
}
