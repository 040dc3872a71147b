package cluster

import (
	"context"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// PlanOptions tune Plan.
type PlanOptions struct {
	// FieldManager is the manager the dry-run applies as; it must be the
	// one apply will use, or ownership and conflicts differ.
	FieldManager string
	// ShowSecrets leaves Secret data unmasked in Before, After and Diff.
	ShowSecrets bool
	// DiffContext is the number of unchanged lines around each change;
	// negative means diff.DefaultContext.
	DiffContext int
}

// DefaultPlanOptions are kubectl-mgi's defaults.
func DefaultPlanOptions() PlanOptions {
	return PlanOptions{FieldManager: DefaultFieldManager, DiffContext: diff.DefaultContext}
}

// Plan says what applying objs would change, without changing anything:
// per object a server-side apply dry-run (not forced) beside a read of the
// live object, both normalised and compared. The changes are in apply
// order. Any error other than a conflict (which is a Change) fails the
// whole plan, since a partial plan would look like "no changes".
// Deletions (ApplySet pruning) are appended by their own step after these
// changes, as apply prunes after applying.
func (c *Client) Plan(ctx context.Context, objs []Object, opts PlanOptions) (*plan.Plan, error) {
	r := c.newRun(objs, opts.FieldManager)
	r.dryRun = true
	done, _, err := r.execute(ctx, objs)
	if err != nil {
		return nil, err
	}
	p := &plan.Plan{Changes: make([]plan.Change, 0, len(done))}
	for _, o := range done {
		ch, err := o.change(opts)
		if err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, ch)
	}
	return p, nil
}

// change turns an outcome into the plan's entry for the object.
func (o outcome) change(opts PlanOptions) (plan.Change, error) {
	ch := plan.Change{Object: o.ref, Source: o.source, Note: o.note, Conflicts: o.conflicts}
	if len(o.conflicts) > 0 {
		ch.Action = plan.Conflict
		cmp, err := outcome{ref: o.ref, live: o.live}.compare(opts.ShowSecrets, opts.DiffContext)
		ch.Before = cmp.before
		return ch, err
	}
	cmp, err := o.compare(opts.ShowSecrets, opts.DiffContext)
	if err != nil {
		return ch, err
	}
	ch.Before, ch.After = cmp.before, cmp.after
	switch {
	case o.live == nil:
		ch.Action, ch.Diff = plan.Create, cmp.diff
	case cmp.equal():
		ch.Action = plan.Unchanged
	default:
		ch.Action, ch.Diff = plan.Update, cmp.diff
	}
	return ch, nil
}
