package cluster

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// FieldManager is the manager the objects are applied as.
	FieldManager string
	// Force takes ownership of fields other managers own
	// (--force-conflicts); without it a conflict stops the apply.
	Force bool
	// DryRun asks the server to run every step without persisting
	// anything (--dry-run=server).
	DryRun bool
	// CRDTimeout bounds the wait for applied CRDs to be Established.
	CRDTimeout time.Duration

	// ApplySet names the ApplySet parent (--applyset: NAME, secrets/NAME
	// or configmaps/NAME, in the client's namespace). Every object is
	// applied as a member (part-of label) and the parent records the set.
	ApplySet string
	// Prune deletes the members of ApplySet that are not among the
	// objects, after they were applied. It needs ApplySet.
	Prune bool
	// ToolVersion goes into the parent's tooling annotation
	// (kubectl-mgi/<version>, v0 when empty).
	ToolVersion string

	// Wait waits, after applying and pruning, until every applied object
	// is ready (kstatus Current); ignored with DryRun.
	Wait        bool
	WaitOptions WaitOptions
}

// DefaultApplyOptions are kubectl-mgi's defaults.
func DefaultApplyOptions() ApplyOptions {
	return ApplyOptions{FieldManager: DefaultFieldManager, CRDTimeout: DefaultCRDTimeout, WaitOptions: DefaultWaitOptions()}
}

// ApplyAction is what applying did to one object, in kubectl's words.
type ApplyAction string

const (
	Created    ApplyAction = "created"
	Configured ApplyAction = "configured"
	Unchanged  ApplyAction = "unchanged"
)

// Applied is one object that was applied.
type Applied struct {
	Object plan.ObjectRef `json:"object"`
	Source string         `json:"source,omitempty"`
	Action ApplyAction    `json:"action"`
	// Note says why the server was not asked (dry-run into a namespace or
	// of a kind that this apply would create first).
	Note string `json:"note,omitempty"`
	// Result is the object as the server returned it.
	Result *unstructured.Unstructured `json:"-"`
}

// ApplyResult lists, in apply order, the objects applied and those that
// were not (after a failure).
type ApplyResult struct {
	DryRun     bool      `json:"dryRun,omitempty"`
	Applied    []Applied `json:"applied"`
	NotApplied []Object  `json:"-"`
	// Pruned lists the ApplySet members deleted (Action Pruned), in
	// reverse apply order.
	Pruned []Applied `json:"pruned,omitempty"`
	// Ready is the last status of every applied object (with Wait).
	Ready []Readiness `json:"ready,omitempty"`
}

// Apply applies objs with server-side apply in dependency order (see
// groups), waiting for CRDs to be Established before objects of their
// kinds, and migrating objects last written by client-side `kubectl apply`
// first. It stops after the first failure: the result then lists what was
// applied and what was not, and a rerun converges.
//
// With ApplySet, the parent is read (and refused when another tool or set
// owns it) and updated before anything is applied, every object is applied
// as a member, and with Prune the members no longer among objs are deleted
// afterwards. With Wait, Apply then waits until the applied objects are
// ready. Pruning and waiting run only when applying succeeded.
func (c *Client) Apply(ctx context.Context, objs []Object, opts ApplyOptions) (*ApplyResult, error) {
	res := &ApplyResult{DryRun: opts.DryRun}
	if opts.Prune && opts.ApplySet == "" {
		return res, errPruneNeedsApplySet
	}
	var sr *setRun
	if opts.ApplySet != "" {
		var err error
		if sr, objs, err = c.beginApply(ctx, objs, opts); err != nil {
			res.NotApplied = objs
			return res, err
		}
	}
	if err := c.applyObjects(ctx, objs, opts, res); err != nil {
		return res, err
	}
	refs := make([]plan.ObjectRef, len(res.Applied))
	for i, a := range res.Applied {
		refs[i] = a.Object
	}
	if sr != nil {
		var err error
		if res.Pruned, err = c.finishApply(ctx, sr, refs, opts); err != nil {
			return res, err
		}
	}
	if opts.Wait && !opts.DryRun {
		var err error
		if res.Ready, err = c.Wait(ctx, refs, opts.WaitOptions); err != nil {
			return res, err
		}
	}
	return res, nil
}

// applyObjects is the apply proper: the step for every object, in order.
func (c *Client) applyObjects(ctx context.Context, objs []Object, opts ApplyOptions, res *ApplyResult) error {
	r := c.newRun(objs, opts.FieldManager)
	r.force, r.dryRun, r.conflictIsError, r.crdTimeout = opts.Force, opts.DryRun, true, opts.CRDTimeout
	done, notDone, err := r.execute(ctx, objs)
	res.NotApplied = notDone
	for _, o := range done {
		a, cerr := o.applied()
		if cerr != nil && err == nil {
			err = cerr
		}
		res.Applied = append(res.Applied, a)
	}
	return err
}

// applied names what the step did: created when nothing was there,
// unchanged when the normalised object is the same as before (as plan
// decides), configured otherwise.
func (o outcome) applied() (Applied, error) {
	a := Applied{Object: o.ref, Source: o.source, Note: o.note, Result: o.result}
	if o.live == nil {
		a.Action = Created
		return a, nil
	}
	cmp, err := o.compare(true, 0)
	if err != nil {
		a.Action = Configured
		return a, err
	}
	a.Action = Configured
	if cmp.equal() {
		a.Action = Unchanged
	}
	return a, nil
}
