package cluster

import (
	"context"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// FieldManager is the manager the objects are applied as.
	FieldManager string
	// Recreate deletes and creates again the objects whose change the
	// server cannot make in place (an immutable field), after the dry-run
	// pass; without it apply refuses them before writing anything.
	Recreate bool
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
	// PruneGuard holds the overrides of the prune guards.
	PruneGuard PruneGuard
	// ToolVersion goes into the parent's tooling annotation
	// (kubectl-mgi/<version>, v0 when empty).
	ToolVersion string

	// Wait waits, after applying and pruning, until every applied object
	// is ready (kstatus Current); ignored with DryRun.
	Wait        bool
	WaitOptions WaitOptions

	// Instances are the directory's MeshGatewayInstances. One that is live
	// in the cluster stops the apply before anything is written, unless
	// TakeOver (takeover.go).
	Instances []Instance
	// TakeOver takes the objects of live instances over from Kuma's
	// controller: ownership of the rendered fields from KumaManagers, then
	// the ownerReference, then the instance (orphan propagation).
	TakeOver bool
	// KumaManagers are the field managers of Kuma's control plane whose
	// conflicts a takeover forces; empty means DefaultKumaManager.
	KumaManagers []string
	// Ignore are the directory's rules for fields left to others, as for
	// PlanOptions.Ignore.
	Ignore []config.IgnoreRule

	// Interrupt is a test seam: called after each takeover step, an error
	// stops the apply there, as a crash would.
	Interrupt func(step TakeOverStep, instance object.Ref) error
}

// DefaultApplyOptions are kubectl-mgi's defaults.
func DefaultApplyOptions() ApplyOptions {
	return ApplyOptions{FieldManager: DefaultFieldManager, CRDTimeout: DefaultCRDTimeout, WaitOptions: DefaultWaitOptions()}
}

// Applied is one object that was applied.
type Applied struct {
	Object object.Ref `json:"object"`
	Source string     `json:"source,omitempty"`
	// Action is what was done, in the plan's words (plan.Action: create,
	// update, unchanged, replace, delete for a pruned member, take-over);
	// Action.Done is how apply says it.
	Action plan.Action `json:"action"`
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
	// Unknown lists the objects whose apply was sent but never answered,
	// and that a re-read could not settle (an interruption, a server that
	// stayed away): the server may or may not have applied them. A rerun
	// settles it.
	Unknown []Object `json:"-"`
	// Pruned lists the ApplySet members deleted (Action plan.Delete), in
	// reverse apply order.
	Pruned []Applied `json:"pruned,omitempty"`
	// Kept lists members no longer in the inputs that pruning left alone.
	Kept []Kept `json:"kept,omitempty"`
	// Ready is the last status of every applied object (with Wait).
	Ready []Readiness `json:"ready,omitempty"`
	// TakenOver lists the instances taken over (Action plan.TakeOver).
	TakenOver []Applied `json:"takenOver,omitempty"`
}

// Apply applies objs with server-side apply in dependency order (see
// groups), waiting for CRDs to be Established before objects of their
// kinds, and migrating objects last written by client-side `kubectl apply`
// first.
//
// Nothing is written until every object has passed a server-side dry-run
// (one concurrent pass, see execute): when any is refused, every refusal
// is returned and the cluster is as it was. The apply itself reuses the
// pass's reads and sends nothing for objects that would not change. If it
// still fails half-way (the cluster changed, the connection dropped), it
// stops after the failing group: the result lists what was applied and what
// was not, and a rerun converges.
//
// With ApplySet, the parent is read (and refused when another tool or set
// owns it) and, once the dry-run pass is clean, updated before anything is
// applied; every object is applied as a member, and with Prune the members
// no longer among objs are deleted afterwards. With Wait, Apply then waits
// until the applied objects are ready. Pruning and waiting run only when
// applying succeeded.
//
// A run the server refused (Forbidden) fails with an *AccessError that lists
// every permission the apply needs and the user lacks, with a Role granting
// them (CollectForbidden); the result still says what was applied.
func (c *Client) Apply(ctx context.Context, objs []Object, opts ApplyOptions) (*ApplyResult, error) {
	res, err := c.applyAll(ctx, objs, opts)
	if err != nil {
		err = c.CollectForbidden(ctx, err, Needs{Objects: objs, Apply: true, ApplySet: opts.ApplySet, Prune: opts.Prune, Instances: opts.Instances, TakeOver: opts.TakeOver})
	}
	return res, err
}

func (c *Client) applyAll(ctx context.Context, objs []Object, opts ApplyOptions) (*ApplyResult, error) {
	res := &ApplyResult{DryRun: opts.DryRun}
	if opts.Prune && opts.ApplySet == "" {
		return res, errPruneNeedsApplySet
	}
	pre := c.preread(ctx, objs, opts.Instances, opts.ApplySet, opts.Ignore)
	tos := pre.tos
	if pre.instancesErr != nil {
		res.NotApplied = objs
		return res, pre.instancesErr
	}
	if len(tos) > 0 && !opts.TakeOver {
		res.NotApplied = objs
		e := &LiveInstanceError{}
		for _, t := range tos {
			e.Instances = append(e.Instances, t.ref())
		}
		return res, e
	}
	if pre.setErr != nil {
		res.NotApplied = objs
		return res, pre.setErr
	}
	sr, objs, leave := pre.sr, pre.objs, pre.leave
	if pre.leaveErr != nil {
		res.NotApplied = objs
		return res, pre.leaveErr
	}
	var prior map[object.Ref]outcome
	if !opts.DryRun {
		var err error
		if prior, err = c.checkApply(ctx, objs, opts, tos, leave); err != nil {
			for _, g := range groups(objs) {
				res.NotApplied = append(res.NotApplied, g...)
			}
			return res, &NothingAppliedError{Err: err}
		}
	}
	if sr != nil {
		var err error
		if objs, err = c.beginApply(ctx, sr, objs, opts, prior, leave, res); err != nil {
			res.NotApplied = append(res.NotApplied, objs...)
			return res, err
		}
	}
	if err := c.applyObjects(ctx, objs, opts, prior, tos, leave, res); err != nil {
		return res, err
	}
	if len(tos) > 0 {
		if err := interrupt(opts, StepOwnership, tos[0]); err != nil {
			return res, err
		}
		var err error
		if res.TakenOver, err = c.finishTakeOver(ctx, tos, opts); err != nil {
			return res, err
		}
	}
	refs := make([]object.Ref, len(res.Applied))
	for i, a := range res.Applied {
		refs[i] = a.Object
	}
	if sr != nil {
		var err error
		if res.Pruned, res.Kept, err = c.finishApply(ctx, sr, refs, opts); err != nil {
			return res, err
		}
	}
	if opts.Wait && !opts.DryRun {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < opts.WaitOptions.Timeout {
			// The overall deadline (apply --timeout) is what remains.
			opts.WaitOptions.Timeout = time.Until(dl)
		}
		var err error
		if res.Ready, err = c.Wait(ctx, refs, opts.WaitOptions); err != nil {
			return res, err
		}
	}
	return res, nil
}

// NothingAppliedError is a refusal found by the dry-run pass: nothing was
// written.
type NothingAppliedError struct {
	Err error
}

func (e *NothingAppliedError) Error() string { return e.Err.Error() }
func (e *NothingAppliedError) Unwrap() error { return e.Err }

// checkApply is the dry-run pass: every object as apply would send it,
// conflicts as errors. It returns each object's outcome for the apply to
// reuse.
func (c *Client) checkApply(ctx context.Context, objs []Object, opts ApplyOptions, tos []takeover, leave *leaveRules) (map[object.Ref]outcome, error) {
	r := c.newRun(objs, opts.FieldManager)
	r.leave = leave
	r.force, r.dryRun, r.conflictIsError, r.recreate = opts.Force, true, true, opts.Recreate
	r.takeOver, r.kumaManagers = takeOverKeys(tos), kumaManagers(opts.KumaManagers)
	done, _, err := r.execute(ctx, objs)
	if err != nil {
		return nil, err
	}
	prior := make(map[object.Ref]outcome, len(done))
	for _, o := range done {
		prior[o.ref] = o
	}
	return prior, nil
}

// applyObjects is the apply proper: the step for every object, in order.
func (c *Client) applyObjects(ctx context.Context, objs []Object, opts ApplyOptions, prior map[object.Ref]outcome, tos []takeover, leave *leaveRules, res *ApplyResult) error {
	r := c.newRun(objs, opts.FieldManager)
	r.leave = leave
	r.force, r.dryRun, r.conflictIsError, r.crdTimeout = opts.Force, opts.DryRun, true, opts.CRDTimeout
	r.recreate = opts.Recreate
	r.prior = prior
	r.takeOver, r.kumaManagers = takeOverKeys(tos), kumaManagers(opts.KumaManagers)
	done, notDone, err := r.execute(ctx, objs)
	res.NotApplied = append(res.NotApplied, notDone...)
	res.Unknown = append(res.Unknown, r.unanswered...)
	for _, o := range done {
		a, cerr := o.applied(opts.DryRun)
		if cerr != nil && err == nil {
			err = cerr
		}
		if o.recreated || o.rejected != nil && opts.Recreate {
			a.Action = plan.Replace
			a.Note = joinNotes(a.Note, "the server cannot change it in place: deleted and created again")
		}
		if len(o.leftOut) > 0 {
			a.Note = joinNotes(a.Note, leftNote(o.leftOut))
		}
		if o.keptSet != "" {
			a.Note = joinNotes(a.Note, "kept its label of ApplySet "+o.keptSet+": name the set with --applyset to manage it")
		}
		res.Applied = append(res.Applied, a)
	}
	return err
}

// applied names what the step did, by what the server answered: created
// when the server said it created the object (201), unchanged when nothing
// was sent or the object's resourceVersion did not move, updated
// otherwise. A server-side dry-run does not persist, so there the
// normalised objects are compared, as plan does.
func (o outcome) applied(dryRun bool) (Applied, error) {
	a := Applied{Object: o.ref, Source: o.source, Note: o.note, Result: o.result}
	switch {
	case o.noop:
		a.Action = plan.Unchanged
	case o.created, o.live == nil && (o.lost || o.recovered || dryRun || o.result == nil || o.note != ""):
		// Without an answer (lost), the re-read decided; a dry-run or
		// an object not sent (note) was absent when read.
		a.Action = plan.Create
	case o.live == nil:
		a.Action = plan.Update
		a.Note = "another client created it after it was read; this apply updated it"
	case o.recovered:
		a.Action = plan.Update
	case !dryRun:
		a.Action = plan.Update
		if o.result != nil && o.result.GetResourceVersion() == o.live.GetResourceVersion() {
			a.Action = plan.Unchanged
		}
	default:
		cmp, err := o.compare(true, 0)
		a.Action = plan.Update
		if err != nil {
			return a, err
		}
		if cmp.equal() {
			a.Action = plan.Unchanged
		}
	}
	if o.recovered {
		a.Note = "the server's answer was lost; a re-read shows the object applied"
	}
	return a, nil
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
