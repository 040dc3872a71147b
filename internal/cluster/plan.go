package cluster

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
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
	// KeepObjects puts the live and desired objects (normalised, masked as
	// the diff) into each change's Live and Desired.
	KeepObjects bool
	// ApplySet names the ApplySet parent (as ApplyOptions.ApplySet): the
	// objects are planned as its members, and its members no longer among
	// the objects are planned as deletions (what apply --prune does).
	ApplySet string
	// Instances, TakeOver and KumaManagers are as for apply: a live
	// instance of the directory is a conflict, or with TakeOver a
	// take-over change beside the objects planned as the takeover leaves
	// them.
	Instances    []Instance
	TakeOver     bool
	KumaManagers []string
	// PruneGuard is what apply --prune will be allowed; a plan whose
	// deletions a guard refuses gets an error finding.
	PruneGuard PruneGuard
	// Ignore are the directory's rules for fields left to others
	// (spec.ignore); the replicas of an autoscaled Deployment are left
	// out without one.
	Ignore []config.IgnoreRule
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
// With ApplySet, the members that apply --prune would delete follow as
// Delete changes, as apply prunes after applying.
//
// A run the server refused (Forbidden) fails with an *AccessError that lists
// every permission the plan needs and the user lacks, with a Role granting
// them (CollectForbidden).
func (c *Client) Plan(ctx context.Context, objs []Object, opts PlanOptions) (*plan.Plan, error) {
	p, err := c.plan(ctx, objs, opts)
	if err != nil {
		return nil, c.CollectForbidden(ctx, err, Needs{Objects: objs, ApplySet: opts.ApplySet, Instances: opts.Instances})
	}
	return p, nil
}

func (c *Client) plan(ctx context.Context, objs []Object, opts PlanOptions) (*plan.Plan, error) {
	pre := c.preread(ctx, objs, opts.Instances, opts.ApplySet, opts.Ignore)
	if pre.setErr != nil {
		return nil, pre.setErr
	}
	if pre.instancesErr != nil {
		return nil, pre.instancesErr
	}
	if pre.leaveErr != nil {
		return nil, pre.leaveErr
	}
	sr, objs, tos := pre.sr, pre.objs, pre.tos
	var live []plan.Change
	if !opts.TakeOver {
		live = liveInstanceConflicts(tos)
		objs, tos = withoutGenerated(objs, tos, c.defaultNamespace), nil
	}
	r := c.newRun(objs, opts.FieldManager)
	r.dryRun = true
	r.takeOver, r.kumaManagers = takeOverKeys(tos), kumaManagers(opts.KumaManagers)
	r.leave = pre.leave
	done, _, err := r.execute(ctx, objs)
	if err != nil {
		return nil, err
	}
	if err := c.previewForced(ctx, objs, r.fieldManager, r.leave, done); err != nil {
		return nil, err
	}
	p := &plan.Plan{Changes: make([]plan.Change, 0, len(done))}
	kept := make([]object.Ref, 0, len(done))
	for _, o := range done {
		ch, err := o.change(opts)
		if err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, ch)
		kept = append(kept, o.ref)
	}
	p.Changes = append(p.Changes, live...)
	p.Changes = append(p.Changes, takeOverChanges(tos, done)...)
	p.Findings = append(p.Findings, unnamedSetFindings(done)...)
	p.Findings = append(p.Findings, leftFindings(done)...)
	if sr != nil {
		dels, fs, err := c.planDeletions(ctx, sr, len(objs), kept, opts)
		if err != nil {
			return nil, err
		}
		p.Changes = append(p.Changes, dels...)
		p.Findings = append(p.Findings, fs...)
	}
	return p, nil
}

// previewForced gives each conflicting outcome the result of the same
// dry-run forced, so the plan shows what apply --force-conflicts would
// write. It is still a dry-run: nothing changes.
func (c *Client) previewForced(ctx context.Context, objs []Object, manager string, leave *leaveRules, done []outcome) error {
	var idx []int
	for i, o := range done {
		if len(o.conflicts) > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	fr := c.newRun(objs, manager)
	fr.dryRun, fr.force, fr.leave = true, true, leave
	errs := forEach(ctx, len(idx), c.concurrency, func(ctx context.Context, k int) error {
		out, err := fr.step(ctx, done[idx[k]].obj)
		if err != nil {
			return fmt.Errorf("previewing --force-conflicts: %w", err)
		}
		done[idx[k]].result = out.result
		return nil
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// change turns an outcome into the plan's entry for the object.
func (o outcome) change(opts PlanOptions) (plan.Change, error) {
	ch := plan.Change{Object: o.ref, Source: o.source, Note: o.note, Conflicts: o.conflicts}
	if o.foreignSet != "" {
		ch.Action, ch.Note = plan.Conflict, "this object "+foreignNote(o.foreignSet)
		return ch, nil
	}
	if rj := o.rejected; rj != nil {
		ch.Reason = rj.message
		if !rj.immutable || o.live == nil {
			ch.Action = plan.Error
			return ch, nil
		}
		// What --recreate would do: the fields of the directory, live
		// against desired.
		o.live = restrictTo(o.live, o.result)
		ch.Action = plan.Replace
		cmp, err := o.compare(opts.ShowSecrets, opts.DiffContext)
		cmp.fill(&ch, opts.KeepObjects)
		return ch, err
	}
	if o.live == nil && o.obj.Unstructured != nil {
		o.result = withoutAllocated(o.result, o.obj.Unstructured)
	}
	cmp, err := o.compare(opts.ShowSecrets, opts.DiffContext)
	if err != nil {
		return ch, err
	}
	cmp.fill(&ch, opts.KeepObjects)
	switch {
	case len(o.conflicts) > 0:
		// The diff is what --force-conflicts would do (previewForced).
		ch.Action = plan.Conflict
		if o.result == nil {
			ch.After, ch.Desired = "", nil
		}
		if o.result == nil || cmp.equal() {
			ch.Diff = ""
		}
	case o.live == nil:
		ch.Action = plan.Create
	case cmp.equal():
		ch.Action = plan.Unchanged
	default:
		ch.Action = plan.Update
	}
	return ch, nil
}

// withoutAllocated drops from the dry-run of a Service create the values
// the server allocates afresh on every dry-run (cluster IPs, node ports)
// and the desired object does not set: they would differ between two plans
// and from what apply ends up with. Updates need nothing: live and dry-run
// keep the allocated values.
func withoutAllocated(result, desired *unstructured.Unstructured) *unstructured.Unstructured {
	if result == nil || result.GroupVersionKind().GroupKind() != (schema.GroupKind{Kind: "Service"}) {
		return result
	}
	out := result.DeepCopy()
	_, setIP, _ := unstructured.NestedFieldNoCopy(desired.Object, "spec", "clusterIP")
	_, setIPs, _ := unstructured.NestedFieldNoCopy(desired.Object, "spec", "clusterIPs")
	if !setIP && !setIPs {
		unstructured.RemoveNestedField(out.Object, "spec", "clusterIP")
		unstructured.RemoveNestedField(out.Object, "spec", "clusterIPs")
	}
	if _, set, _ := unstructured.NestedFieldNoCopy(desired.Object, "spec", "healthCheckNodePort"); !set {
		unstructured.RemoveNestedField(out.Object, "spec", "healthCheckNodePort")
	}
	ports, _, _ := unstructured.NestedSlice(out.Object, "spec", "ports")
	wanted, _, _ := unstructured.NestedSlice(desired.Object, "spec", "ports")
	for _, p := range ports {
		if pm, ok := p.(map[string]interface{}); ok && !setsNodePort(wanted, pm) {
			delete(pm, "nodePort")
		}
	}
	if ports != nil {
		_ = unstructured.SetNestedSlice(out.Object, ports, "spec", "ports")
	}
	return out
}

// setsNodePort reports whether the desired port matching p (by port and
// protocol, the list's keys) sets a nodePort.
func setsNodePort(desired []interface{}, p map[string]interface{}) bool {
	for _, d := range desired {
		dm, ok := d.(map[string]interface{})
		if !ok || fmt.Sprint(dm["port"]) != fmt.Sprint(p["port"]) || protocolOf(dm) != protocolOf(p) {
			continue
		}
		_, set := dm["nodePort"]
		return set
	}
	return false
}

func protocolOf(p map[string]interface{}) string {
	if s, ok := p["protocol"].(string); ok && s != "" {
		return s
	}
	return "TCP"
}
