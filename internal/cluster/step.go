package cluster

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/client-go/dynamic"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// outcome is what the per-object step found: the live object before, the
// object as the server holds (or would hold) it after, or the conflicts
// that stopped the apply.
type outcome struct {
	ref    object.Ref
	source string
	// obj is the desired object the step was given.
	obj Object
	// live is nil when the object does not exist.
	live *unstructured.Unstructured
	// result is the server's answer to the apply; for an object that could
	// not be dry-run (see note) it is the desired object itself.
	result    *unstructured.Unstructured
	conflicts []plan.FieldConflict
	// note says why the server was not asked.
	note string
	// read is true when live was read (it is nil for "not found").
	read bool
	// noop is true when applying would leave live as it is, so nothing
	// was (or needs to be) sent.
	noop bool
	// created is true when the server answered that this request created
	// the object; lost when an earlier try's answer was lost.
	created, lost bool
	// recovered is true when the answer to the write was lost and a
	// re-read showed the server holds the applied object.
	recovered bool
	// foreignSet is the id of another ApplySet the live object is a member
	// of; the object was not sent.
	foreignSet string
	// keptSet is the id of the ApplySet whose part-of label was kept,
	// when the run names no set but the live object is a member of one.
	keptSet string
	// rejected is the server refusing the object in a dry-run (see
	// rejected.go); result is the desired object then.
	rejected *rejection
	// recreated is true when apply --recreate deleted the object before
	// applying it.
	recreated bool
	// leftOut are the fields left to others (leftout.go), not sent.
	leftOut []leftField
}

// step is the one per-object planning and applying step that Plan and Apply
// share. With r.dryRun the server is asked for a dry-run and nothing
// changes; otherwise the object is applied.
func (r *run) step(ctx context.Context, obj Object) (outcome, error) {
	out := outcome{ref: Ref(obj.Unstructured), source: obj.Source, obj: obj}
	gvk := obj.GroupVersionKind()
	m, err := r.c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return r.unmapped(out, obj, err)
	}
	desired := prepare(obj.Unstructured, m, r.c.defaultNamespace)
	out.ref = Ref(desired)
	if ns := desired.GetNamespace(); r.missingNS[ns] {
		// The server cannot dry-run into a namespace that does not exist.
		desired, out.leftOut = r.leave.leaveOut(desired, nil, r.fieldManager)
		out.result, out.note = desired, fmt.Sprintf("namespace %s is created by this apply", ns)
		return out, nil
	}
	ri := r.c.resource(m, desired.GetNamespace())
	if p, ok := r.prior[out.ref]; ok && p.read {
		// The dry-run pass read it a moment ago.
		out.live, out.read, out.keptSet, out.leftOut = p.live, true, p.keptSet, p.leftOut
		if p.noop {
			out.result, out.noop = out.live, true
			return out, nil
		}
	} else {
		if out.live, err = r.get(ctx, ri, bucket{m.Resource, desired.GetNamespace()}, desired.GetName()); err != nil {
			return out, r.c.explain(err, out.ref, "get", m)
		}
		out.read = true
	}
	if r.mustRecreate(out) {
		if err := r.c.deleteAndWait(ctx, ri, out.live); err != nil {
			return out, r.c.explain(err, out.ref, "delete", m)
		}
		out.live, out.recreated = nil, true
	}
	// The run's ApplySet (if any) is the part-of label it gave the
	// objects (labelMembers).
	if id, ours := setOf(out.live), setOf(desired); id != "" && id != ours {
		if ours != "" {
			out.foreignSet = id
			return out, nil
		}
		desired, out.keptSet = keepSetLabel(desired, id), id
	}
	desired, out.leftOut = r.leave.leaveOut(desired, out.live, r.fieldManager)
	csa := csaManagers(out.live)
	var hidden []plan.FieldConflict
	if !r.force {
		hidden = stringDataConflicts(out.live, desired, r.fieldManager, csa.Union(r.forgivenManagers(out.ref)))
		if len(hidden) > 0 && !r.dryRun {
			// The dry-run pass reported them; never write over them.
			out.conflicts = hidden
			return out, nil
		}
	}
	if r.dryRun && !r.force && len(csa) == 0 && applyIsNoOp(out.live, desired, r.fieldManager) {
		out.result, out.noop = out.live.DeepCopy(), true
		return out, nil
	}
	if len(csa) > 0 && !r.dryRun {
		if out.live, err = r.c.migrate(ctx, ri, out.live, csa, r.fieldManager); err != nil {
			return out, r.c.explain(err, out.ref, "patch", m)
		}
		csa = nil
	}
	if err := r.sendApply(ctx, m, desired, csa, &out); err != nil {
		if rj := rejectionOf(err); rj != nil && r.dryRun {
			rj.err = r.c.explain(err, out.ref, "patch", m)
			out.rejected, out.result = rj, desired
			return out, nil
		}
		if !r.dryRun && isNetworkError(err) && !isInterrupted(ctx, err) {
			return r.reread(ctx, ri, desired, out, r.c.explain(err, out.ref, "patch", m))
		}
		if !r.dryRun && isInterrupted(ctx, err) {
			// Stopped with the write in flight: there is no time left
			// to read what the server did.
			return out, &unansweredError{r.c.explain(err, out.ref, "patch", m)}
		}
		return out, r.c.explain(err, out.ref, "patch", m)
	}
	out.conflicts = mergeConflicts(out.conflicts, hidden)
	if len(csa) > 0 && len(out.conflicts) == 0 {
		out.result, err = r.c.simulateMigration(ctx, ri, out.live, out.result, csa, r.fieldManager)
		if err != nil {
			return out, r.c.explain(err, out.ref, "update", m)
		}
	}
	if r.dryRun && len(csa) == 0 && len(out.conflicts) == 0 && dryRunChangesNothing(out.live, out.result, r.fieldManager) {
		// The write that follows a dry-run pass need not be sent.
		out.noop = true
	}
	return out, nil
}

// sendApply sends the server-side apply. For an object still owned by
// client-side apply (csa not empty, dry-run only) the apply would run after
// the migration, so conflicts with the migrated managers are not real: they
// are left out, and when none remain the dry-run is repeated with force,
// which moves exactly those fields as the migration would.
func (r *run) sendApply(ctx context.Context, m *meta.RESTMapping, desired *unstructured.Unstructured, csa sets.Set[string], out *outcome) error {
	ans, err := r.c.apply(ctx, m, desired, r.fieldManager, r.force, r.dryRun)
	if err != nil {
		return err
	}
	// Conflicts with client-side apply (migrated first) and, for an object
	// being taken over, with Kuma's manager are not real: when they are
	// all there is, the apply is forced, which moves exactly the fields
	// the tool sends and no others.
	forgiven := csa.Union(r.forgivenManagers(out.ref))
	if len(ans.conflicts) > 0 && forgiven.Len() > 0 {
		if ans.conflicts = withoutManagers(ans.conflicts, forgiven); len(ans.conflicts) == 0 {
			if ans, err = r.c.apply(ctx, m, desired, r.fieldManager, true, r.dryRun); err != nil {
				return err
			}
		}
	}
	out.result, out.conflicts, out.created, out.lost = ans.result, ans.conflicts, ans.created, ans.lost
	return nil
}

// unmapped handles a kind the server does not serve: fine when a CRD in
// the directory defines it (it will be served once that CRD is applied),
// an error otherwise.
func (r *run) unmapped(out outcome, obj Object, err error) (outcome, error) {
	gvk := obj.GroupVersionKind()
	if !meta.IsNoMatchError(err) {
		return out, fmt.Errorf("%s: mapping %s to a resource: %w", out.ref, gvk, err)
	}
	crd, ok := r.dirCRDs[gvk.GroupKind()]
	if !ok {
		return out, fmt.Errorf("%s: %w", out.ref, notServedError(gvk))
	}
	out.result = obj.DeepCopy()
	out.note = fmt.Sprintf("its CustomResourceDefinition %s is created by this apply", crd)
	return out, nil
}

func (r *run) get(ctx context.Context, ri dynamic.ResourceInterface, b bucket, name string) (*unstructured.Unstructured, error) {
	if live, listed := r.live.lookup(b, name); listed {
		if live != nil {
			live = live.DeepCopy()
		}
		return live, nil
	}
	live, err := ri.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		// Only NotFound means "create"; any other error (Forbidden
		// above all) is reported, never taken for absence.
		return nil, nil
	}
	return live, err
}

func (c *Client) resource(m *meta.RESTMapping, namespace string) dynamic.ResourceInterface {
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return c.dynamic.Resource(m.Resource).Namespace(namespace)
	}
	return c.dynamic.Resource(m.Resource)
}

// prepare is the body of the apply: a copy of the desired object in the
// namespace kubectl would use (-n or the context's, for namespaced kinds
// without one), without fields only the server may set, and a Secret's
// stringData merged into data (secret.go).
func prepare(obj *unstructured.Unstructured, m *meta.RESTMapping, defaultNamespace string) *unstructured.Unstructured {
	u := obj.DeepCopy()
	mergeStringData(u)
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		if u.GetNamespace() == "" {
			u.SetNamespace(defaultNamespace)
		}
	} else {
		u.SetNamespace("")
	}
	u.SetResourceVersion("")
	u.SetUID("")
	u.SetManagedFields(nil)
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	return u
}

// crdKinds lists the kinds that CustomResourceDefinitions among objs define,
// with the CRD's name.
func crdKinds(objs []Object) map[schema.GroupKind]string {
	out := map[schema.GroupKind]string{}
	for _, o := range objs {
		if o.Unstructured == nil || !isCRD(o.Unstructured) {
			continue
		}
		group, _, _ := unstructured.NestedString(o.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
		if kind != "" {
			out[schema.GroupKind{Group: group, Kind: kind}] = o.GetName()
		}
	}
	return out
}

func isCRD(u *unstructured.Unstructured) bool {
	gvk := u.GroupVersionKind()
	return gvk.Group == "apiextensions.k8s.io" && gvk.Kind == "CustomResourceDefinition"
}
