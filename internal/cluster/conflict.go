package cluster

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// conflictManager finds the manager in a conflict cause's message:
// `conflict with "kuma-cp" using apps/v1`.
var conflictManager = regexp.MustCompile(`conflict with "([^"]*)"`)

// conflictsOf reads the fields and owning managers out of a server-side
// apply conflict. ok is false for any other error.
func conflictsOf(err error) (out []plan.FieldConflict, ok bool) {
	var s apierrors.APIStatus
	if !apierrors.IsConflict(err) || !errors.As(err, &s) || s.Status().Details == nil {
		return nil, false
	}
	for _, cause := range s.Status().Details.Causes {
		if cause.Type != metav1.CauseTypeFieldManagerConflict {
			continue
		}
		fc := plan.FieldConflict{Field: cause.Field, Manager: cause.Message}
		if m := conflictManager.FindStringSubmatch(cause.Message); m != nil {
			fc.Manager = m[1]
		}
		out = append(out, fc)
	}
	if out = sortedConflicts(out); len(out) == 0 {
		return nil, false
	}
	return out, true
}

func withoutManagers(cs []plan.FieldConflict, managers sets.Set[string]) []plan.FieldConflict {
	var out []plan.FieldConflict
	for _, c := range cs {
		if !managers.Has(c.Manager) {
			out = append(out, c)
		}
	}
	return out
}

// ConflictError is an apply refused because other field managers own
// fields that the directory sets.
type ConflictError struct {
	Object    object.Ref
	Conflicts []plan.FieldConflict
}

func (e *ConflictError) Error() string {
	parts := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		parts[i] = fmt.Sprintf("%s (owned by %q)", c.Field, c.Manager)
	}
	return fmt.Sprintf("%s: conflicts with other field managers: %s; use --force-conflicts to take ownership",
		e.Object, strings.Join(parts, ", "))
}
