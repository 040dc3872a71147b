package cluster

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/util/csaupgrade"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"
)

// lastAppliedAnnotation is written by client-side `kubectl apply`.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// lastAppliedField is the annotation as a managed-fields path: the manager
// of an Update that owns it is a client-side apply (kubectl finds them the
// same way).
var lastAppliedField = fieldpath.NewSet(fieldpath.MakePathOrDie("metadata", "annotations", lastAppliedAnnotation))

// maxMigrateTries bounds the retries when the object changes between the
// read and the migration patch (the patch carries the resourceVersion).
const maxMigrateTries = 3

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
	var err error
	for try := 0; try < maxMigrateTries; try++ {
		var patch []byte
		if patch, err = csaupgrade.UpgradeManagedFieldsPatch(live, csa, manager); err != nil || patch == nil {
			return live, err
		}
		var res *unstructured.Unstructured
		res, err = ri.Patch(ctx, live.GetName(), types.JSONPatchType, patch, metav1.PatchOptions{})
		if err == nil {
			return res, nil
		}
		if !apierrors.IsConflict(err) {
			return nil, fmt.Errorf("migrating from client-side apply: %w", err)
		}
		if live, err = ri.Get(ctx, live.GetName(), metav1.GetOptions{}); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("migrating from client-side apply: the object kept changing: %w", err)
}

// simulateMigration computes, for a dry-run, what migrate followed by the
// apply would leave: the dry-run result (applied as if forced against the
// client-side managers) without the fields that only those managers own,
// since after the migration they belong to manager and the directory no
// longer sets them. The server re-validates and re-defaults that object in
// a dry-run update, as it would after the real apply.
func (c *Client) simulateMigration(ctx context.Context, ri dynamic.ResourceInterface, live, result *unstructured.Unstructured, csa sets.Set[string], manager string) (*unstructured.Unstructured, error) {
	drop, err := fieldsOnlyOwnedBy(result.GetManagedFields(), csa)
	if err != nil || drop.Empty() {
		return result, err
	}
	candidate := result.DeepCopy()
	removeFields(candidate.Object, drop)
	candidate.SetManagedFields(nil)
	candidate.SetResourceVersion(live.GetResourceVersion())
	return ri.Update(ctx, candidate, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}, FieldManager: manager})
}

// fieldsOnlyOwnedBy is the set of fields that the main-resource Update
// entries of managers own and no other entry does.
func fieldsOnlyOwnedBy(entries []metav1.ManagedFieldsEntry, managers sets.Set[string]) (*fieldpath.Set, error) {
	owned, others := &fieldpath.Set{}, &fieldpath.Set{}
	for _, e := range entries {
		if e.FieldsV1 == nil {
			continue
		}
		s := &fieldpath.Set{}
		if err := s.FromJSON(bytes.NewReader(e.FieldsV1.Raw)); err != nil {
			return nil, fmt.Errorf("reading managed fields of %s: %w", e.Manager, err)
		}
		if managers.Has(e.Manager) && e.Operation == metav1.ManagedFieldsOperationUpdate && e.Subresource == "" {
			owned = owned.Union(s)
		} else {
			others = others.Union(s)
		}
	}
	return owned.Difference(others), nil
}

// removeFields deletes the leaves of set from obj, then the maps and lists
// of set that are left empty (as the server prunes a map nobody owns).
func removeFields(obj map[string]interface{}, set *fieldpath.Set) {
	var parents []fieldpath.Path
	leaves := set.Leaves()
	set.Iterate(func(p fieldpath.Path) {
		if leaves.Has(p) {
			removePath(obj, p)
		} else {
			parents = append(parents, append(fieldpath.Path(nil), p...))
		}
	})
	// Deepest first, so an emptied child empties its parent in turn.
	sort.SliceStable(parents, func(i, j int) bool { return len(parents[i]) > len(parents[j]) })
	for _, p := range parents {
		if isEmpty(lookupPath(obj, p)) {
			removePath(obj, p)
		}
	}
}
