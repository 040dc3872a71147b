package cluster

import (
	"context"
	"errors"
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
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
	// noParent is a dry-run whose parent's namespace does not exist yet:
	// the parent cannot be written, not even as a dry-run.
	noParent bool
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
func (sr *setRun) superset(applied []object.Ref) membership {
	return sr.old.union(sr.desired).union(membershipOf(sr.set, applied))
}

// beginApply records the superset in the parent, before any member is
// applied but after the Namespaces of the inputs when they create the
// parent's namespace (placeParent): those are applied here, into res. It
// returns the objects still to apply.
func (c *Client) beginApply(ctx context.Context, sr *setRun, objs []Object, opts ApplyOptions, prior map[object.Ref]outcome, leave *leaveRules, res *ApplyResult) ([]Object, error) {
	place, err := c.placeParent(ctx, sr.set, objs, opts.DryRun)
	if err != nil {
		return objs, err
	}
	if len(place.first) > 0 {
		if err := c.applyObjects(ctx, place.first, opts, prior, nil, leave, res); err != nil {
			return place.rest, err
		}
	}
	sr.noParent = place.skip
	if !place.skip {
		if err := c.writeParent(ctx, sr.set, sr.superset(nil), Tooling(opts.ToolVersion), opts.FieldManager, opts.DryRun); err != nil {
			return place.rest, err
		}
	}
	return place.rest, nil
}

// finishApply prunes (with opts.Prune) the members not applied, unless a
// guard refuses (checkPrune) and except those that are never pruned
// (protect, returned as kept), then records in the parent what the set
// holds now: exactly the applied and kept objects after a prune, the
// superset otherwise (old members are still labelled and a later prune
// must find them).
func (c *Client) finishApply(ctx context.Context, sr *setRun, applied []object.Ref, opts ApplyOptions) ([]Applied, []Kept, error) {
	now := sr.superset(applied)
	var pruned []Applied
	var kept []Kept
	if opts.Prune {
		cands, members, err := c.pruneCandidates(ctx, sr.set, now, applied)
		if err != nil {
			return nil, nil, err
		}
		cands, kept = protect(sr.set, cands)
		if err := checkPrune(sr.set, len(applied), members, cands, opts.PruneGuard); err != nil {
			return nil, kept, err
		}
		if pruned, err = c.prune(ctx, cands, opts.DryRun); err != nil {
			return pruned, kept, err
		}
		now = membershipOf(sr.set, applied)
		// A kept member is still a member: a later prune must find it.
		now = now.union(membershipOf(sr.set, keptRefs(kept)))
	}
	if sr.noParent {
		return pruned, kept, nil
	}
	return pruned, kept, c.writeParent(ctx, sr.set, now, Tooling(opts.ToolVersion), opts.FieldManager, opts.DryRun)
}

func keptRefs(kept []Kept) []object.Ref {
	out := make([]object.Ref, len(kept))
	for i, k := range kept {
		out[i] = k.Object
	}
	return out
}

// planDeletions lists the members that apply --prune would delete, as
// Delete changes showing the removed object, and as findings the members
// that pruning keeps and a refusal of the prune guards.
func (c *Client) planDeletions(ctx context.Context, sr *setRun, desired int, keep []object.Ref, opts PlanOptions) ([]plan.Change, finding.List, error) {
	cands, members, err := c.pruneCandidates(ctx, sr.set, sr.superset(keep), keep)
	if err != nil {
		return nil, nil, err
	}
	cands, kept := protect(sr.set, cands)
	var fs finding.List
	for _, k := range kept {
		fs = append(fs, finding.Finding{Rule: RulePruneKept, Severity: finding.Info, Object: k.Object,
			Message: "a member of ApplySet " + sr.set.String() + " no longer in the inputs, but apply --prune keeps it: " + k.Why})
	}
	if err := checkPrune(sr.set, desired, members, cands, opts.PruneGuard); err != nil {
		var pr *PruneRefusedError
		if errors.As(err, &pr) {
			fs = append(fs, finding.Finding{Rule: RulePruneRefused, Severity: finding.Error,
				Object:  sr.set.ref(),
				Message: "apply --prune would refuse to delete the " + fmt.Sprint(len(cands)) + " objects below: " + pr.Why})
		}
	}
	fs = append(fs, c.pruneAccess(ctx, cands)...)
	out := make([]plan.Change, 0, len(cands))
	for _, u := range cands {
		ref := Ref(u)
		cmp, err := outcome{ref: ref, live: u}.compare(opts.ShowSecrets, opts.DiffContext)
		if err != nil {
			return nil, nil, err
		}
		ch := plan.Change{Action: plan.Delete, Object: ref, Note: "member of ApplySet " + sr.set.String() + " no longer in the inputs"}
		cmp.fill(&ch, opts.KeepObjects)
		out = append(out, ch)
	}
	return out, fs, nil
}

// Rules of the findings the cluster side adds to a plan (docs/rules.md).
const (
	// RulePruneKept: a member no longer in the inputs that pruning keeps.
	RulePruneKept = "PruneKept"
	// RulePruneRefused: apply --prune would refuse the plan's deletions.
	RulePruneRefused = "PruneRefused"
)
