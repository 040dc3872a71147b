package cluster

import (
	"context"
	"errors"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// errPruneNeedsApplySet keeps pruning from ever guessing its set.
var errPruneNeedsApplySet = errors.New("--prune needs --applyset NAME: pruning deletes only members of a named ApplySet")

// setRun is one apply's or plan's view of its ApplySet.
type setRun struct {
	set ApplySet
	// old is what the parent recorded before this run.
	old membership
	// desired is the membership of the directory, as estimated before
	// applying.
	desired membership
}

// openSet resolves and reads the parent, and labels objs as members.
func (c *Client) openSet(ctx context.Context, spec string, objs []Object) (*setRun, []Object, error) {
	s, err := c.ApplySet(spec)
	if err != nil {
		return nil, objs, err
	}
	old, err := c.readParent(ctx, s)
	if err != nil {
		return nil, objs, err
	}
	return &setRun{set: s, old: old, desired: c.desiredMembership(s, objs)}, labelMembers(objs, s.ID()), nil
}

// superset is every kind and namespace that may hold members during this
// run. Apply writes it to the parent before applying, so that a run that
// stops half-way leaves no member where a later prune would not look.
func (sr *setRun) superset(applied []plan.ObjectRef) membership {
	return sr.old.union(sr.desired).union(membershipOf(sr.set, applied))
}

// beginApply opens the set for Apply and records the superset in the parent.
func (c *Client) beginApply(ctx context.Context, objs []Object, opts ApplyOptions) (*setRun, []Object, error) {
	sr, labelled, err := c.openSet(ctx, opts.ApplySet, objs)
	if err != nil {
		return nil, objs, err
	}
	if err := c.writeParent(ctx, sr.set, sr.superset(nil), Tooling(opts.ToolVersion), opts.FieldManager, opts.DryRun); err != nil {
		return nil, objs, err
	}
	return sr, labelled, nil
}

// finishApply prunes (with opts.Prune) the members not applied, then
// records in the parent what the set holds now: exactly the applied
// objects after a prune, the superset otherwise (old members are still
// labelled and a later prune must find them).
func (c *Client) finishApply(ctx context.Context, sr *setRun, applied []plan.ObjectRef, opts ApplyOptions) ([]Applied, error) {
	now := sr.superset(applied)
	var pruned []Applied
	if opts.Prune {
		cands, err := c.pruneCandidates(ctx, sr.set, now, applied)
		if err != nil {
			return nil, err
		}
		if pruned, err = c.prune(ctx, cands, opts.DryRun); err != nil {
			return pruned, err
		}
		now = membershipOf(sr.set, applied)
	}
	return pruned, c.writeParent(ctx, sr.set, now, Tooling(opts.ToolVersion), opts.FieldManager, opts.DryRun)
}

// planDeletions lists the members that apply --prune would delete, as
// Delete changes showing the removed object.
func (c *Client) planDeletions(ctx context.Context, sr *setRun, kept []plan.ObjectRef, opts PlanOptions) ([]plan.Change, error) {
	cands, err := c.pruneCandidates(ctx, sr.set, sr.superset(kept), kept)
	if err != nil {
		return nil, err
	}
	out := make([]plan.Change, 0, len(cands))
	for _, u := range cands {
		ref := Ref(u)
		cmp, err := outcome{ref: ref, live: u}.compare(opts.ShowSecrets, opts.DiffContext)
		if err != nil {
			return nil, err
		}
		out = append(out, plan.Change{Action: plan.Delete, Object: ref, Before: cmp.before, Diff: cmp.diff,
			Note: "member of ApplySet " + sr.set.String() + " no longer in the inputs"})
	}
	return out, nil
}
