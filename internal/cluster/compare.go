package cluster

import (
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// comparison is the live and resulting object, normalised and masked, as
// YAML, their unified diff, and the brief of a create or a delete.
type comparison struct {
	before, after, diff string
	brief               string
	// liveObj and desiredObj are the objects the YAML renders (nil for
	// an absent side), kept for plan -o json --include-objects.
	liveObj, desiredObj *unstructured.Unstructured
}

func (c comparison) equal() bool { return c.before == c.after }

// compare normalises both sides (no server-set metadata, no status) and
// diffs them. Secret values are masked unless showSecrets.
func (o outcome) compare(showSecrets bool, context int) (comparison, error) {
	before, after := diff.Normalize(o.live), diff.Normalize(o.result)
	if !showSecrets {
		diff.MaskSecrets(before, after)
	}
	cmp := comparison{liveObj: before, desiredObj: after}
	var err error
	if before != nil && after != nil && equality.Semantic.DeepEqual(before.Object, after.Object) {
		// The common case of a converged directory: one rendering serves
		// both sides, and there is no diff to compute.
		cmp.before, err = diff.ToYAML(before)
		cmp.after = cmp.before
		return cmp, err
	}
	if cmp.before, err = diff.ToYAML(before); err != nil {
		return cmp, err
	}
	if cmp.after, err = diff.ToYAML(after); err != nil {
		return cmp, err
	}
	cmp.diff = diff.Unified(o.ref.String(), cmp.before, cmp.after, context)
	switch {
	case before == nil:
		cmp.brief = diff.Brief(after)
	case after == nil:
		cmp.brief = diff.Brief(before)
	}
	return cmp, nil
}

// fill copies the comparison into a change: the YAML, the diff and the
// brief, and with keepObjects the objects themselves.
func (c comparison) fill(ch *plan.Change, keepObjects bool) {
	ch.Before, ch.After, ch.Diff, ch.Brief = c.before, c.after, c.diff, c.brief
	if keepObjects {
		ch.Live, ch.Desired = objectMap(c.liveObj), objectMap(c.desiredObj)
	}
}

func objectMap(u *unstructured.Unstructured) map[string]interface{} {
	if u == nil {
		return nil
	}
	return u.Object
}
