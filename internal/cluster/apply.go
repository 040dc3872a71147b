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
}

// DefaultApplyOptions are kubectl-mgi's defaults.
func DefaultApplyOptions() ApplyOptions {
	return ApplyOptions{FieldManager: DefaultFieldManager, CRDTimeout: DefaultCRDTimeout}
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
}

// Apply applies objs with server-side apply in dependency order (see
// groups), waiting for CRDs to be Established before objects of their
// kinds, and migrating objects last written by client-side `kubectl apply`
// first. It stops after the first failure: the result then lists what was
// applied and what was not, and a rerun converges.
//
// Later steps (ApplySet pruning, waiting for readiness) run after the
// objects are applied and only when that succeeded: each adds its own
// fields to ApplyOptions and ApplyResult and its own file, and a call here.
func (c *Client) Apply(ctx context.Context, objs []Object, opts ApplyOptions) (*ApplyResult, error) {
	r := c.newRun(objs, opts.FieldManager)
	r.force, r.dryRun, r.conflictIsError, r.crdTimeout = opts.Force, opts.DryRun, true, opts.CRDTimeout
	done, notDone, err := r.execute(ctx, objs)
	res := &ApplyResult{DryRun: opts.DryRun, NotApplied: notDone}
	for _, o := range done {
		a, cerr := o.applied()
		if cerr != nil && err == nil {
			err = cerr
		}
		res.Applied = append(res.Applied, a)
	}
	return res, err
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
