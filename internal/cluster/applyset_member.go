package cluster

import (
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// ForeignMemberError is an object of the inputs that is live as a member of
// another ApplySet. It is never adopted, not even with --force-conflicts:
// the other set's prune would delete it, or ours would delete it from under
// the other set.
type ForeignMemberError struct {
	Object fmt.Stringer
	// SetID is the other set's id (its part-of label).
	SetID string
}

func (e *ForeignMemberError) Error() string {
	return fmt.Sprintf("%s: %s", e.Object, foreignNote(e.SetID))
}

func foreignNote(id string) string {
	return fmt.Sprintf("is a member of another ApplySet (%s=%s) and is never adopted: remove it from the inputs, or remove it from the other ApplySet first", ApplySetPartOfLabel, id)
}

// setOf is the ApplySet id a live object is a member of, "" for none.
func setOf(live *unstructured.Unstructured) string {
	if live == nil {
		return ""
	}
	return live.GetLabels()[ApplySetPartOfLabel]
}

// keepSetLabel copies the part-of label of a live member onto the desired
// object when this run names no ApplySet, so that plan does not propose
// removing it and apply does not orphan the member from its set.
func keepSetLabel(desired *unstructured.Unstructured, id string) *unstructured.Unstructured {
	labels := desired.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels[ApplySetPartOfLabel] = id
	desired.SetLabels(labels)
	return desired
}

// RuleUnnamedApplySet: objects of the inputs are live members of an
// ApplySet, but the run names none.
const RuleUnnamedApplySet = "UnnamedApplySet"

// unnamedSetFindings warns, once per ApplySet, that objects are members of
// a set the run does not name: their label is kept (keepSetLabel), and no
// deletions are planned.
func unnamedSetFindings(done []outcome) finding.List {
	count := map[string]int{}
	first := map[string]outcome{}
	for _, o := range done {
		if o.keptSet == "" {
			continue
		}
		if count[o.keptSet] == 0 {
			first[o.keptSet] = o
		}
		count[o.keptSet]++
	}
	ids := make([]string, 0, len(count))
	for id := range count {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out finding.List
	for _, id := range ids {
		o := first[id]
		out = append(out, finding.Finding{Rule: RuleUnnamedApplySet, Severity: finding.Warning, Object: o.ref,
			Pos: sourcePosition(o.source),
			Message: fmt.Sprintf("%d %s of the inputs %s live members of ApplySet %s, but no ApplySet is named: their %s label is kept and no deletions are planned; "+
				"name the set with --applyset (or in the directory's settings) to plan and prune it", count[id], pluralObjects(count[id]), isAre(count[id]), id, ApplySetPartOfLabel)})
	}
	return out
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
