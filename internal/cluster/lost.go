package cluster

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
)

// A write whose answer never came (the connection dropped, the request
// timed out, retries ran out) may or may not have been applied. Rather than
// guess, the object is read again and reported by what the server holds.

// reread decides a lost write by the object the server holds now: applied
// when applying desired again would change nothing the tool manages, or,
// for kinds without a typed extractor, when the tool's manager wrote the
// object last after it was read. Otherwise the write's error stands.
func (r *run) reread(ctx context.Context, ri dynamic.ResourceInterface, desired *unstructured.Unstructured, out outcome, werr error) (outcome, error) {
	now, err := ri.Get(ctx, desired.GetName(), metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return out, fmt.Errorf("%w (the answer was lost; a re-read shows the object does not exist: it was not applied)", werr)
	case err != nil:
		return out, &unansweredError{fmt.Errorf("%w (the answer was lost, and re-reading the object failed too, so whether it was applied is unknown: %v)", werr, err)}
	}
	if !applyIsNoOp(now, desired, r.fieldManager) && !lastWrittenBy(now, out.live, r.fieldManager) {
		return out, fmt.Errorf("%w (the answer was lost; a re-read shows the server does not hold the applied object: it was not applied)", werr)
	}
	out.result, out.recovered, out.created = now, true, out.live == nil
	return out, nil
}

// unansweredError is a write that was sent and never answered, and that no
// re-read could settle (the run was interrupted, the server stayed away):
// the server may or may not have applied it. Apply lists such objects
// apart (ApplyResult.Unknown) rather than claim they were not applied.
type unansweredError struct{ err error }

func (e *unansweredError) Error() string { return e.err.Error() }
func (e *unansweredError) Unwrap() error { return e.err }

// lastWrittenBy reports whether manager applied now, changed since before
// (nil: created since), and no other manager wrote after it.
func lastWrittenBy(now, before *unstructured.Unstructured, manager string) bool {
	if before != nil && now.GetResourceVersion() == before.GetResourceVersion() {
		return false
	}
	var last *metav1.ManagedFieldsEntry
	for _, e := range now.GetManagedFields() {
		if e.Time != nil && (last == nil || last.Time.Before(e.Time)) {
			e := e
			last = &e
		}
	}
	return last != nil && last.Manager == manager && last.Operation == metav1.ManagedFieldsOperationApply
}

// isInterrupted reports an error caused by the run being stopped (SIGINT,
// the overall timeout) rather than by the server.
func isInterrupted(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled)
}
