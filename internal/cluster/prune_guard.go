package cluster

import (
	"fmt"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// PruneAnnotation set to PruneDisabled on a live object keeps apply --prune
// from ever deleting it (as Flux's kustomize.toolkit.fluxcd.io/prune), even
// when it is a member of the ApplySet that is no longer in the inputs.
const (
	PruneAnnotation = "kubectl-mgi.kuma.io/prune"
	PruneDisabled   = "disabled"
)

// Prune guards: when in doubt, do not delete.
const (
	// DefaultPruneThreshold is the share of the set's members (percent)
	// that one prune may delete without --prune-threshold.
	DefaultPruneThreshold = 50
	// pruneThresholdFloor is the number of deletions below which the
	// threshold does not apply: a small set may well lose half its members.
	pruneThresholdFloor = 5
)

// PruneGuard is what a prune may do (the flags that override the guards).
type PruneGuard struct {
	// AllowEmpty lets inputs that render no objects prune every member
	// (--allow-empty); without it such a prune is refused, since an empty
	// set is far more often a wrong path or a failed checkout.
	AllowEmpty bool
	// Threshold is the share of the set's members, in percent, that one
	// prune may delete when it deletes at least 5 (--prune-threshold); 0
	// means DefaultPruneThreshold, 100 turns the guard off.
	Threshold int
}

func (g PruneGuard) threshold() int {
	if g.Threshold <= 0 {
		return DefaultPruneThreshold
	}
	return g.Threshold
}

// PruneRefusedError is a prune that a guard stopped: nothing was deleted.
type PruneRefusedError struct {
	Set ApplySet
	// Why says which guard stopped it and which flag overrides it.
	Why string
	// Would lists what the prune would have deleted, in prune order.
	Would []object.Ref
}

func (e *PruneRefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ApplySet %s: prune refused, nothing was deleted: %s", e.Set, e.Why)
	if len(e.Would) > 0 {
		fmt.Fprintf(&b, "\nIt would delete %d %s:", len(e.Would), pluralObjects(len(e.Would)))
		for _, r := range e.Would {
			b.WriteString("\n  " + r.String())
		}
	}
	return b.String()
}

// checkPrune refuses a prune of cands from a set of members live members
// when the inputs hold no objects (desired is their number) or when it
// would delete too large a share of the set.
func checkPrune(s ApplySet, desired, members int, cands []*unstructured.Unstructured, g PruneGuard) error {
	if len(cands) == 0 {
		return nil
	}
	would := make([]object.Ref, len(cands))
	for i, u := range cands {
		would[i] = Ref(u)
	}
	if desired == 0 && !g.AllowEmpty {
		return &PruneRefusedError{Set: s, Would: would,
			Why: "the inputs render no objects, so every member would go; check the paths (a typo, a failed checkout), or pass --allow-empty to empty the ApplySet on purpose"}
	}
	t := g.threshold()
	if t < 100 && len(cands) >= pruneThresholdFloor && len(cands)*100 > t*members {
		return &PruneRefusedError{Set: s, Would: would,
			Why: fmt.Sprintf("it would delete %d of the set's %d members, more than --prune-threshold %d%%; check the inputs, or pass --prune-threshold 100 to allow it", len(cands), members, t)}
	}
	return nil
}

// Kept is a member that pruning leaves alone although the inputs no longer
// hold it, and why.
type Kept struct {
	Object object.Ref `json:"object"`
	Why    string     `json:"why"`
}

// protect splits prune candidates into those that may go and those that
// never do: the Namespace holding the ApplySet parent (deleting it would
// delete the parent and every member in it) and objects annotated
// kubectl-mgi.kuma.io/prune: disabled.
func protect(s ApplySet, cands []*unstructured.Unstructured) (out []*unstructured.Unstructured, kept []Kept) {
	for _, u := range cands {
		ref := Ref(u)
		switch {
		case ref.Group == "" && ref.Kind == "Namespace" && ref.Name == s.Namespace:
			kept = append(kept, Kept{Object: ref, Why: "it holds the ApplySet parent " + s.String()})
		case u.GetAnnotations()[PruneAnnotation] == PruneDisabled:
			kept = append(kept, Kept{Object: ref, Why: "annotated " + PruneAnnotation + ": " + PruneDisabled})
		default:
			out = append(out, u)
		}
	}
	return out, kept
}
