package cluster

import (
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
)

// comparison is the live and resulting object as normalised YAML and their
// unified diff.
type comparison struct {
	before, after, diff string
}

func (c comparison) equal() bool { return c.before == c.after }

// compare normalises both sides (no server-set metadata, no status) and
// diffs them. Secret values are masked unless showSecrets.
func (o outcome) compare(showSecrets bool, context int) (comparison, error) {
	before, after := diff.Normalize(o.live), diff.Normalize(o.result)
	if !showSecrets {
		diff.MaskSecrets(before, after)
	}
	var cmp comparison
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
	return cmp, nil
}
