package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Requests are bounded and retried here, in the one transport every client
// of a run shares, so that each request gets the same treatment whichever
// client (dynamic, discovery, raw REST) sends it.

// DefaultRequestTimeout bounds each request when --request-timeout is not
// given. kubectl has no default; a stalled connection would then hang the
// tool forever, printing nothing.
const DefaultRequestTimeout = 30 * time.Second

// RetryPolicy bounds the retries of idempotent requests.
type RetryPolicy struct {
	// Attempts is the most tries of one request, the first included.
	Attempts int
	// Elapsed is the longest time spent retrying one request.
	Elapsed time.Duration
	// Base is the first backoff; each next one doubles, up to Max.
	Base, Max time.Duration
}

// DefaultRetryPolicy is five tries within 30 seconds: enough to ride out a
// rolling restart of the API server or a burst of throttling, short enough
// that a dead server is reported soon.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{Attempts: 5, Elapsed: 30 * time.Second, Base: 200 * time.Millisecond, Max: 5 * time.Second}
}

// RequestTimeoutError is a request that got no (complete) answer within the
// request timeout.
type RequestTimeoutError struct {
	After time.Duration
}

func (e *RequestTimeoutError) Error() string {
	return fmt.Sprintf("no answer from the API server within %s (--request-timeout; 0 means no limit)", e.After)
}

// Timeout marks it as a net.Error timeout.
func (e *RequestTimeoutError) Timeout() bool { return true }

// Temporary is part of net.Error.
func (e *RequestTimeoutError) Temporary() bool { return true }

type transport struct {
	next    http.RoundTripper
	timeout time.Duration
	policy  RetryPolicy
	// sleep waits d or until ctx is done (a test seam).
	sleep func(ctx context.Context, d time.Duration) error
}

func newTransport(next http.RoundTripper, timeout time.Duration, policy RetryPolicy) *transport {
	return &transport{next: next, timeout: timeout, policy: policy, sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attemptsKey carries a *tries into a request's context, so that the caller
// learns whether an earlier try of its request may have reached the server.
type attemptsKey struct{}

// tries is what the transport tells the caller about its request.
type tries struct {
	// lost counts tries whose answer was lost after the request was sent:
	// the server may have acted on them.
	lost atomic.Int32
}

func withTries(ctx context.Context) (context.Context, *tries) {
	t := &tries{}
	return context.WithValue(ctx, attemptsKey{}, t), t
}

// noRetryKey marks a request that must not be retried (the first probe:
// an unreachable server is reported at once, with its cause).
type noRetryKey struct{}

func withoutRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRetryKey{}, true)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	idem := idempotent(req) && req.Context().Value(noRetryKey{}) == nil
	start := time.Now()
	for attempt := 1; ; attempt++ {
		resp, err := t.once(req)
		wait, retry := t.retryAfter(idem, resp, err, attempt, start)
		if !retry {
			if resp != nil && attempt > 1 {
				// Retried here already: keep client-go from
				// retrying the same answer ten times more.
				resp.Header.Del("Retry-After")
			}
			if err != nil {
				err = dropped(err, attempt)
			}
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		} else if tr, ok := req.Context().Value(attemptsKey{}).(*tries); ok && sent(err) {
			tr.lost.Add(1)
		}
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		if req.Body != nil && req.GetBody != nil {
			body, gerr := req.GetBody()
			if gerr != nil {
				return nil, gerr
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

// once sends req with the per-request timeout, which also covers reading
// the body: the deadline is released only when the body is closed.
func (t *transport) once(req *http.Request) (*http.Response, error) {
	if t.timeout <= 0 {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timedOut := ctx.Err() != nil && req.Context().Err() == nil
		cancel()
		if timedOut {
			return nil, &RequestTimeoutError{After: t.timeout}
		}
		return nil, err
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, ctx: ctx, parent: req.Context(), cancel: cancel, timeout: t.timeout}
	return resp, nil
}

// timedBody names the request timeout when it cuts a body short.
type timedBody struct {
	io.ReadCloser
	ctx, parent context.Context
	cancel      context.CancelFunc
	timeout     time.Duration
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF && b.ctx.Err() != nil && b.parent.Err() == nil {
		err = &RequestTimeoutError{After: b.timeout}
	}
	return n, err
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// idempotent reports whether sending req twice has the effect of sending it
// once: reads, dry-runs (which change nothing), and server-side apply
// patches (the same configuration applied again is a no-op).
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	for _, v := range req.URL.Query()["dryRun"] {
		if v == "All" {
			return true
		}
	}
	return req.Method == http.MethodPatch && strings.HasPrefix(req.Header.Get("Content-Type"), "application/apply-patch")
}

// retryAfter decides whether to try again and after how long: for
// idempotent requests only, on 429, 5xx (but 501) and lost connections,
// within the policy's bounds.
func (t *transport) retryAfter(idem bool, resp *http.Response, err error, attempt int, start time.Time) (time.Duration, bool) {
	if !idem || attempt >= t.policy.Attempts {
		return 0, false
	}
	switch {
	case err != nil:
		if !retriable(err) {
			return 0, false
		}
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
	default:
		return 0, false
	}
	wait := t.policy.Base << (attempt - 1)
	if wait > t.policy.Max || wait <= 0 {
		wait = t.policy.Max
	}
	wait = wait/2 + rand.N(wait/2+1)
	if resp != nil {
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s >= 0 {
			wait = time.Duration(s) * time.Second
		}
	}
	if time.Since(start)+wait > t.policy.Elapsed {
		return 0, false
	}
	return wait, true
}

// retriable is a connection problem worth another try: refused (a server
// restarting), reset, closed mid-answer, or a request timeout.
func retriable(err error) bool {
	var rt *RequestTimeoutError
	switch {
	case errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &rt), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "GOAWAY") ||
		strings.Contains(s, "server closed") || strings.Contains(s, "use of closed network connection")
}

// sent reports whether a failed try may have reached the server (anything
// but a refused connection): its answer is then lost, not its request.
func sent(err error) bool {
	return !errors.Is(err, syscall.ECONNREFUSED)
}

// droppedError is a dropped connection that the transport does not try
// again (out of tries, or a request it must not repeat). errors.Is still
// sees its cause (a reset, an EOF), but neither errors.As nor the text lead
// to it: client-go retries a GET whose connection was reset or cut short up
// to ten times more, a second apart, each time through these tries, so a
// server that stays away would take minutes to report instead of seconds.
type droppedError struct {
	what  string
	cause error
	tries int
}

func (e *droppedError) Error() string {
	if e.tries == 1 {
		return e.what
	}
	return fmt.Sprintf("%s (%d tries)", e.what, e.tries)
}

func (e *droppedError) Is(target error) bool { return errors.Is(e.cause, target) }

// dropped hides a reset or cut-short connection from client-go's retries
// (droppedError); other errors are returned as they are.
func dropped(err error, tries int) error {
	s := err.Error()
	var what string
	switch {
	case errors.Is(err, syscall.ECONNRESET), strings.Contains(s, "connection reset"):
		what = "the connection was reset"
	case errors.Is(err, syscall.EPIPE), strings.Contains(s, "broken connection"):
		what = "the connection was broken"
	case strings.Contains(s, "GOAWAY"):
		what = "the server closed the connection (HTTP/2 GOAWAY)"
	case strings.Contains(s, "connection lost"):
		what = "the connection was lost"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(s, "server closed"),
		strings.Contains(strings.ToLower(s), "use of closed network connection"):
		what = "the connection closed before the answer"
	default:
		return err
	}
	return &droppedError{what: what, cause: err, tries: tries}
}
