package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"k8s.io/apimachinery/pkg/util/sets"
)

// run is one pass of the step over a directory's objects.
type run struct {
	c            *Client
	fieldManager string
	force        bool
	dryRun       bool
	// conflictIsError turns conflicts into a *ConflictError (apply) instead
	// of data (plan).
	conflictIsError bool
	// recreate lets apply delete and create again the objects whose change
	// the server cannot make in place (--recreate).
	recreate   bool
	crdTimeout time.Duration

	// dirCRDs are the kinds that CRDs in the directory define.
	dirCRDs map[schema.GroupKind]string
	// missingNS are namespaces the directory creates that do not exist yet
	// (dry-run only: a real apply has created them by then).
	missingNS map[string]bool
	// live holds live objects read in bulk for the current group.
	live liveCache
	// prior holds the outcomes of the dry-run pass that preceded this
	// apply: their reads are reused, and what would not change is not sent.
	prior map[object.Ref]outcome
	// takeOver are the objects being taken over from Kuma's controller:
	// their conflicts with kumaManagers are forced (takeover.go).
	takeOver     map[object.Ref]bool
	kumaManagers sets.Set[string]
	// leave are the fields left to others (leftout.go); nil leaves none.
	leave *leaveRules
	// unanswered are the objects whose write was sent and never answered
	// (unansweredError): neither done nor surely not done.
	unanswered []Object
}

func (c *Client) newRun(objs []Object, manager string) *run {
	if manager == "" {
		manager = DefaultFieldManager
	}
	return &run{c: c, fieldManager: manager, dirCRDs: crdKinds(objs), missingNS: map[string]bool{}}
}

// execute runs the step for objs group by group in apply order (a group is
// an apply stage, order.Stage), the objects of a group concurrently, and
// returns the outcomes of the objects that succeeded (in apply order), the
// objects not done, and the failures. The objects whose write went
// unanswered are in r.unanswered instead.
//
// A dry-run checks every object: the objects of all groups after the
// Namespaces go in one concurrent pass (nothing is written, so nothing
// waits for anything), and every failure is returned, each with its own
// reason, as ObjectErrors. A real apply stops at the first failure: the
// requests in flight finish, the rest of the group is not sent, and no later
// group starts (what follows may depend on it).
func (r *run) execute(ctx context.Context, objs []Object) (done []outcome, notDone []Object, err error) {
	if err := checkObjects(objs); err != nil {
		return nil, objs, err
	}
	gs := groups(objs)
	if r.dryRun {
		gs = dryRunGroups(gs)
	}
	var failures ObjectErrors
	for gi, g := range gs {
		r.live = liveCache{buckets: map[bucket]map[string]*unstructured.Unstructured{}}
		r.prefetch(ctx, g)
		outs := make([]outcome, len(g))
		// A real apply sends nothing more of a group once one of its
		// objects failed: what is in flight finishes, the rest is not
		// applied. A dry-run checks them all.
		var halt atomic.Bool
		at := sendOrder(g)
		sent := forEach(ctx, len(g), r.c.concurrency, func(ctx context.Context, j int) error {
			i := at[j]
			if halt.Load() {
				return errNotSent
			}
			var err error
			outs[i], err = r.step(ctx, g[i])
			if err == nil && r.conflictIsError && len(outs[i].conflicts) > 0 {
				err = &ConflictError{Object: outs[i].ref, Conflicts: outs[i].conflicts}
			}
			if err == nil && r.conflictIsError && outs[i].foreignSet != "" {
				err = &ForeignMemberError{Object: outs[i].ref, SetID: outs[i].foreignSet}
			}
			if err == nil && r.conflictIsError {
				err = outs[i].refusal(r.recreate)
			}
			if err != nil && !r.dryRun {
				halt.Store(true)
			}
			return err
		})
		errs := make([]error, len(g))
		for j, err := range sent {
			errs[at[j]] = err
		}
		failed, stopped := false, false
		for i := range g {
			if errors.Is(errs[i], errNotSent) {
				notDone = append(notDone, g[i])
				failed = true
				continue
			}
			if errs[i] != nil {
				if ctx.Err() != nil && stoppedBy(errs[i]) {
					// One line for the interruption, not one per
					// object it cut short.
					stopped = true
				} else {
					failures = append(failures, errs[i])
				}
				failed = true
				if errors.As(errs[i], new(*unansweredError)) {
					r.unanswered = append(r.unanswered, g[i])
				} else {
					notDone = append(notDone, g[i])
				}
				continue
			}
			done = append(done, outs[i])
		}
		if stopped {
			failures = append(failures, StopCause(ctx))
		}
		if !failed {
			if err := r.afterGroup(ctx, outs); err != nil {
				failures = append(failures, err)
				failed = true
			}
		}
		if failed && (!r.dryRun || ctx.Err() != nil) {
			for _, rest := range gs[gi+1:] {
				notDone = append(notDone, rest...)
			}
			break
		}
	}
	return done, notDone, failures.orNil()
}

// errNotSent marks an object a real apply did not send because another
// object of its group had failed.
var errNotSent = errors.New("not sent: another object of the same apply step failed")

// sendOrder is the order in which a group's objects are sent (indexes into
// g): one object of each kind in turn. The API server creates Services one
// at a time (it allocates each ClusterIP under one lock), so a group whose
// Services went first would hold every connection in that queue while the
// other kinds waited; taken in turn, the other kinds go on beside it.
// Results keep g's order whatever the order of sending.
func sendOrder(g []Object) []int {
	var byKind [][]int
	kind := map[schema.GroupKind]int{}
	for i, o := range g {
		gk := o.GroupVersionKind().GroupKind()
		k, ok := kind[gk]
		if !ok {
			k = len(byKind)
			kind[gk] = k
			byKind = append(byKind, nil)
		}
		byKind[k] = append(byKind[k], i)
	}
	out := make([]int, 0, len(g))
	for next := 0; len(out) < len(g); next++ {
		for _, idx := range byKind {
			if next < len(idx) {
				out = append(out, idx[next])
			}
		}
	}
	return out
}

// dryRunGroups merges every group after the Namespaces into one: a dry-run
// only needs to know which namespaces exist.
func dryRunGroups(gs [][]Object) [][]Object {
	var out [][]Object
	for _, g := range gs {
		if len(out) > 0 && !isNamespace(out[len(out)-1][0]) {
			out[len(out)-1] = append(out[len(out)-1], g...)
			continue
		}
		out = append(out, append([]Object(nil), g...))
	}
	return out
}

func isNamespace(o Object) bool {
	return o.GetKind() == "Namespace" && Ref(o.Unstructured).Group == ""
}

// afterGroup prepares what the next groups depend on: namespaces that a
// dry-run cannot write into, and CRDs that must be served first.
func (r *run) afterGroup(ctx context.Context, outs []outcome) error {
	var crds []string
	for _, o := range outs {
		switch {
		case o.ref.Group == "" && o.ref.Kind == "Namespace":
			if r.dryRun && o.live == nil {
				r.missingNS[o.ref.Name] = true
			}
		case o.ref.Group == "apiextensions.k8s.io" && o.ref.Kind == "CustomResourceDefinition":
			crds = append(crds, o.ref.Name)
		}
	}
	if len(crds) == 0 || r.dryRun {
		return nil
	}
	if err := r.c.waitEstablished(ctx, crds, r.crdTimeout); err != nil {
		return err
	}
	// The kinds of the new CRDs are in discovery now.
	r.c.mapper.Reset()
	return nil
}

// checkObjects refuses objects the API cannot address, before any request.
func checkObjects(objs []Object) error {
	for i, o := range objs {
		where := o.Source
		if where == "" {
			where = fmt.Sprintf("object %d", i+1)
		}
		switch {
		case o.Unstructured == nil || o.Object == nil:
			return fmt.Errorf("%s: empty object", where)
		case o.GetAPIVersion() == "" || o.GetKind() == "":
			return fmt.Errorf("%s: apiVersion and kind are required", where)
		case o.GetName() == "":
			return fmt.Errorf("%s: %s: metadata.name is required", where, o.GetKind())
		}
	}
	return nil
}
