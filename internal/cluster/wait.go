package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// WaitOptions tune Wait.
type WaitOptions struct {
	// Timeout bounds the whole wait (--timeout).
	Timeout time.Duration
	// Interval is the pause between two polls of the objects not ready.
	Interval time.Duration
	// Progress, when set, is called with one line each time an object's
	// status changes (the CLI writes them to stderr); never concurrently.
	Progress func(line string)
}

// DefaultWaitOptions are kubectl-mgi's defaults.
func DefaultWaitOptions() WaitOptions {
	return WaitOptions{Timeout: 5 * time.Minute, Interval: time.Second}
}

// Readiness is the last status kstatus computed for an object: Current
// (ready), InProgress, Failed, Terminating, NotFound or Unknown.
type Readiness struct {
	Object  object.Ref `json:"object"`
	Status  string     `json:"status"`
	Message string     `json:"message,omitempty"`
}

func (r Readiness) String() string {
	if r.Message == "" {
		return fmt.Sprintf("%s: %s", r.Object, r.Status)
	}
	return fmt.Sprintf("%s: %s: %s", r.Object, r.Status, r.Message)
}

// NotReadyError is a wait that timed out; it lists the objects not ready
// with kstatus's explanation.
type NotReadyError struct {
	Timeout  time.Duration
	NotReady []Readiness
}

func (e *NotReadyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "timed out after %s waiting for %d %s to be ready:", e.Timeout, len(e.NotReady), pluralObjects(len(e.NotReady)))
	for _, r := range e.NotReady {
		b.WriteString("\n  " + r.String())
	}
	b.WriteString("\nThe objects were applied; see `kubectl describe` and the events of the objects listed, or raise --timeout")
	return b.String()
}

func pluralObjects(n int) string {
	if n == 1 {
		return "object"
	}
	return "objects"
}

// Wait polls refs until kstatus computes every one of them as Current, or
// the timeout passes (a *NotReadyError naming the objects not ready and
// why). Objects are read with bounded concurrency; each poll reads only the
// objects not ready yet. The result holds every object's last status, in
// the order of refs.
func (c *Client) Wait(ctx context.Context, refs []object.Ref, opts WaitOptions) ([]Readiness, error) {
	d := DefaultWaitOptions()
	if opts.Timeout <= 0 {
		opts.Timeout = d.Timeout
	}
	if opts.Interval <= 0 {
		opts.Interval = d.Interval
	}
	w := &waiter{c: c, opts: opts, states: make([]Readiness, len(refs))}
	for i, r := range refs {
		w.states[i] = Readiness{Object: r, Status: string(status.UnknownStatus)}
	}
	err := wait.PollUntilContextTimeout(ctx, opts.Interval, opts.Timeout, true, func(ctx context.Context) (bool, error) {
		pending := w.pending()
		if len(pending) == 0 {
			return true, nil
		}
		if err := w.poll(ctx, pending); err != nil {
			return false, err
		}
		return len(w.pending()) == 0, nil
	})
	if errors.Is(err, context.DeadlineExceeded) && len(w.pending()) > 0 {
		return w.states, &NotReadyError{Timeout: opts.Timeout, NotReady: w.notReady()}
	}
	return w.states, err
}

type waiter struct {
	c      *Client
	opts   WaitOptions
	mu     sync.Mutex
	states []Readiness
}

func (w *waiter) pending() []int {
	var out []int
	for i, s := range w.states {
		if s.Status != string(status.CurrentStatus) {
			out = append(out, i)
		}
	}
	return out
}

func (w *waiter) notReady() []Readiness {
	var out []Readiness
	for _, i := range w.pending() {
		out = append(out, w.states[i])
	}
	return out
}

// poll reads the pending objects once. Only an error a retry cannot fix
// (forbidden, unauthorized) ends the wait early; a poll cut short by the
// deadline leaves the last status in place.
func (w *waiter) poll(ctx context.Context, pending []int) error {
	errs := forEach(ctx, len(pending), w.c.concurrency, func(ctx context.Context, k int) error {
		i := pending[k]
		next, err := w.c.readiness(ctx, w.states[i].Object)
		if err != nil {
			return err
		}
		w.update(i, next)
		return nil
	})
	for _, err := range errs {
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

// update records a status and reports it when it changed.
func (w *waiter) update(i int, next Readiness) {
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := w.states[i].Status != next.Status || w.states[i].Message != next.Message
	w.states[i] = next
	if changed && w.opts.Progress != nil {
		// Under the lock: Progress is never called concurrently.
		w.opts.Progress(next.String())
	}
}

// readiness reads one object and computes its status with kstatus.
func (c *Client) readiness(ctx context.Context, ref object.Ref) (Readiness, error) {
	r := Readiness{Object: ref}
	m, err := c.mapper.RESTMapping(schema.GroupKind{Group: ref.Group, Kind: ref.Kind}, ref.Version)
	if err != nil {
		return r, fmt.Errorf("%s: mapping to a resource to wait for it: %w", ref, err)
	}
	u, err := c.resource(m, ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		r.Status, r.Message = string(status.NotFoundStatus), "the object does not exist (deleted by someone else?)"
		return r, nil
	case apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err):
		return r, c.explain(err, ref, "get", m)
	case err != nil && (ctx.Err() != nil || strings.Contains(err.Error(), "would exceed context deadline")):
		// Cut short by the deadline (or by client-go's rate limiter,
		// which refuses a request that could not start before it): the
		// last status stays.
		return r, context.DeadlineExceeded
	case err != nil:
		// A transient failure: the next poll tries again.
		r.Status, r.Message = string(status.UnknownStatus), err.Error()
		return r, nil
	}
	res, err := status.Compute(u)
	if err != nil {
		r.Status, r.Message = string(status.UnknownStatus), fmt.Sprintf("computing the status: %v", err)
		return r, nil
	}
	r.Status, r.Message = string(res.Status), res.Message
	return r, nil
}
