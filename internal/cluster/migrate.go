package cluster

import (
	"context"
	"fmt"
	"sort"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/util/csaupgrade"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"
)

// lastAppliedAnnotation is written by client-side `kubectl apply`.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// lastAppliedField is the annotation as a managed-fields path: the manager
// of an Update that owns it is a client-side apply (kubectl finds them the
// same way).
var lastAppliedField = fieldpath.NewSet(fieldpath.MakePathOrDie("metadata", "annotations", lastAppliedAnnotation))

// migrateBackoff bounds the retries when the object changes between the
// read and the migration patch (the patch carries the resourceVersion):
// three tries, 10ms apart.
var migrateBackoff = wait.Backoff{Steps: 3, Duration: 10 * time.Millisecond, Factor: 1, Jitter: 0.1}

// csaManagers names the client-side apply managers of live, if any.
func csaManagers(live *unstructured.Unstructured) sets.Set[string] {
	if live == nil {
		return nil
	}
	names := sets.New[string]()
	for _, e := range csaupgrade.FindFieldsOwners(live.GetManagedFields(), metav1.ManagedFieldsOperationUpdate, lastAppliedField) {
		names.Insert(e.Manager)
	}
	return names
}

// migrate hands the fields of the client-side apply managers to manager, so
// that the following server-side apply removes what the directory no longer
// sets (csaupgrade, as `kubectl apply --server-side` does).
func (c *Client) migrate(ctx context.Context, ri dynamic.ResourceInterface, live *unstructured.Unstructured, csa sets.Set[string], manager string) (*unstructured.Unstructured, error) {
	var res *unstructured.Unstructured
	first := true
	err := retry.RetryOnConflict(migrateBackoff, func() error {
		if !first {
			// A conflict: someone changed the object; migrate what is there now.
			var err error
			if live, err = ri.Get(ctx, live.GetName(), metav1.GetOptions{}); err != nil {
				return err
			}
		}
		first = false
		patch, err := csaupgrade.UpgradeManagedFieldsPatch(live, csa, manager)
		if err != nil || patch == nil {
			res = live
			return err
		}
		res, err = ri.Patch(ctx, live.GetName(), types.JSONPatchType, patch, metav1.PatchOptions{})
		return err
	})
	switch {
	case err == nil:
		return res, nil
	case apierrors.IsConflict(err):
		return nil, fmt.Errorf("migrating from client-side apply: the object kept changing: %w", err)
	default:
		return nil, fmt.Errorf("migrating from client-side apply: %w", err)
	}
}

// simulateMigration computes, for a dry-run, what migrate followed by the
// apply would leave: the dry-run result (applied as if forced against the
// client-side managers) without the fields that only those managers own,
// since after the migration they belong to manager and the directory no
// longer sets them. The server re-validates and re-defaults that object in
// a dry-run update, as it would after the real apply.
func (c *Client) simulateMigration(ctx context.Context, ri dynamic.ResourceInterface, live, result *unstructured.Unstructured, csa sets.Set[string], manager string) (*unstructured.Unstructured, error) {
	owned, drop, err := fieldsOnlyOwnedBy(result.GetManagedFields(), csa)
	if err != nil || drop.Empty() {
		return result, err
	}
	candidate := result.DeepCopy()
	removeFields(candidate.Object, owned, drop)
	candidate.SetManagedFields(nil)
	candidate.SetResourceVersion(live.GetResourceVersion())
	return ri.Update(ctx, candidate, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}, FieldManager: manager})
}

// fieldsOnlyOwnedBy returns the fields that the main-resource Update entries
// of managers own, and those of them that no other entry owns.
func fieldsOnlyOwnedBy(entries []metav1.ManagedFieldsEntry, managers sets.Set[string]) (owned, only *fieldpath.Set, err error) {
	owned, others := &fieldpath.Set{}, &fieldpath.Set{}
	for _, e := range entries {
		if e.FieldsV1 == nil {
			continue
		}
		s := &fieldpath.Set{}
		if err := s.FromJSON(e.FieldsV1.GetRawReader()); err != nil {
			return nil, nil, fmt.Errorf("reading managed fields of %s: %w", e.Manager, err)
		}
		if managers.Has(e.Manager) && e.Operation == metav1.ManagedFieldsOperationUpdate && e.Subresource == "" {
			owned = owned.Union(s)
		} else {
			others = others.Union(s)
		}
	}
	return owned, owned.Difference(others), nil
}

// removeFields deletes from obj the fields of drop, a subset of owned (the
// client-side managers' fields). A path that owned has no children under
// is a value (a scalar, or an atomic map or list) and goes whole; any other
// is a map, list or list item that goes only when nothing is left in it, as
// the server keeps a map that another manager still has fields in.
func removeFields(obj map[string]interface{}, owned, drop *fieldpath.Set) {
	leaves := owned.Leaves()
	var paths []fieldpath.Path
	drop.Iterate(func(p fieldpath.Path) { paths = append(paths, append(fieldpath.Path(nil), p...)) })
	// Deepest first, so that an emptied child empties its parent in turn.
	sort.SliceStable(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	for _, p := range paths {
		switch {
		case isKeyField(p):
			// Removed with its item: the item is found by this field.
		case leaves.Has(p):
			removePath(obj, p)
		case isEmpty(lookupPath(obj, p), p[len(p)-1]):
			removePath(obj, p)
		}
	}
}
