package cluster

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// rejection is the server refusing one object in a dry-run: the object
// itself is wrong (validation, admission, quota), not the request or the
// client's rights. A plan shows it as that object's entry and goes on with
// the others; apply's dry-run pass stops before anything is written.
type rejection struct {
	// message is the server's, as it said it.
	message string
	// immutable is true when every cause is a field that cannot change
	// in place: deleting and creating the object again would apply it.
	immutable bool
	// err is the error as a run reports it (explained, the API status
	// wrapped), for apply's dry-run pass.
	err error
}

// rejectionOf tells a rejection of the object from other failures
// (RBAC, network, a missing namespace), which stay errors of the run.
func rejectionOf(err error) *rejection {
	var st apierrors.APIStatus
	if err == nil || !errors.As(err, &st) {
		return nil
	}
	s := st.Status()
	switch s.Reason {
	case metav1.StatusReasonInvalid:
		return &rejection{message: s.Message, immutable: allImmutable(s.Details)}
	case metav1.StatusReasonBadRequest, metav1.StatusReasonRequestEntityTooLarge:
		return &rejection{message: s.Message}
	case metav1.StatusReasonForbidden:
		// RBAC says "User X cannot VERB resource ..."; admission and
		// quota refuse the object.
		if forbiddenVerb.MatchString(s.Message) {
			return nil
		}
		return &rejection{message: s.Message}
	}
	return nil
}

// allImmutable reports whether every cause of an Invalid is a field that
// may not change once set: Kubernetes' validation says "field is
// immutable" (Deployment selector, Service clusterIP, ConfigMap and Secret
// with immutable: true) or "may not change once set".
func allImmutable(d *metav1.StatusDetails) bool {
	if d == nil || len(d.Causes) == 0 {
		return false
	}
	for _, c := range d.Causes {
		if !strings.Contains(c.Message, "field is immutable") && !strings.Contains(c.Message, "may not change once set") {
			return false
		}
	}
	return true
}

// ReplaceError is apply refusing, before anything is written, an object
// whose change the server can only make by deleting and creating it again
// (an immutable field), without --recreate.
type ReplaceError struct {
	Object object.Ref
	Source string
	// Err is the server's refusal.
	Err error
}

func (e *ReplaceError) Error() string {
	where := e.Object.String()
	if e.Source != "" {
		where += " (from " + e.Source + ")"
	}
	return fmt.Sprintf("%s cannot be changed in place (%v); undo the change in the directory, or run apply with --recreate to delete the object and create it again", where, e.Err)
}

func (e *ReplaceError) Unwrap() error { return e.Err }

// refusal is the error apply's dry-run pass reports for a rejected
// outcome, nil when the apply may go on (a replacement with --recreate).
func (o outcome) refusal(recreate bool) error {
	rj := o.rejected
	switch {
	case rj == nil:
		return nil
	case rj.immutable && o.live != nil && recreate:
		return nil
	case rj.immutable && o.live != nil:
		return &ReplaceError{Object: o.ref, Source: o.source, Err: rj.err}
	default:
		return rj.err
	}
}

// restrictTo is the part of live that desired sets: maps keep only the keys
// desired has (recursively), lists of the same length are restricted item by
// item, anything else is live's value. A replaced object's diff then shows
// the fields of the directory, not everything the server defaulted.
func restrictTo(live, desired *unstructured.Unstructured) *unstructured.Unstructured {
	if live == nil || desired == nil {
		return live
	}
	m, _ := restrictValue(live.Object, desired.Object).(map[string]interface{})
	return &unstructured.Unstructured{Object: m}
}

func restrictValue(live, desired interface{}) interface{} {
	switch d := desired.(type) {
	case map[string]interface{}:
		l, ok := live.(map[string]interface{})
		if !ok {
			return live
		}
		out := make(map[string]interface{}, len(d))
		for k, dv := range d {
			if lv, ok := l[k]; ok {
				out[k] = restrictValue(lv, dv)
			}
		}
		return out
	case []interface{}:
		l, ok := live.([]interface{})
		if !ok || len(l) != len(d) {
			return live
		}
		out := make([]interface{}, len(l))
		for i := range l {
			out[i] = restrictValue(l[i], d[i])
		}
		return out
	default:
		return live
	}
}
