package cluster

import (
	"context"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/order"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// listTarget is one LIST of members: a resource in a namespace ("" for a
// cluster-scoped kind).
type listTarget struct {
	mapping   *meta.RESTMapping
	namespace string
}

// pruneCandidates lists the members of the set (objects labelled part-of
// its id) among the kinds and namespaces of m, and returns those not in
// keep, in reverse apply order (Deployments before the Namespaces they live
// in), and the number of live members. A kind the server no longer serves
// has no objects left to prune.
func (c *Client) pruneCandidates(ctx context.Context, s ApplySet, m membership, keep []object.Ref) ([]*unstructured.Unstructured, int, error) {
	targets, err := c.listTargets(m)
	if err != nil {
		return nil, 0, err
	}
	kept := sets.New[object.Ref]() // by ID: a member read at another version is the same object
	for _, r := range keep {
		kept.Insert(r.ID())
	}
	found := make([][]*unstructured.Unstructured, len(targets))
	errs := forEach(ctx, len(targets), c.concurrency, func(ctx context.Context, i int) error {
		var lerr error
		found[i], lerr = c.listMembers(ctx, s, targets[i])
		return lerr
	})
	var out []*unstructured.Unstructured
	members := 0
	for i := range targets {
		if errs[i] != nil {
			return nil, 0, errs[i]
		}
		members += len(found[i])
		for _, u := range found[i] {
			if !kept.Has(Ref(u).ID()) && u.GetDeletionTimestamp() == nil {
				out = append(out, u)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return pruneLess(out[i], out[j]) })
	return out, members, nil
}

// listTargets maps every group-kind of m and pairs namespaced ones with
// every namespace of m, in a stable order.
func (c *Client) listTargets(m membership) ([]listTarget, error) {
	gks := m.groupKinds.UnsortedList()
	sort.Slice(gks, func(i, j int) bool { return gks[i].String() < gks[j].String() })
	var out []listTarget
	for _, gk := range gks {
		mapping, err := c.mapper.RESTMapping(gk)
		if meta.IsNoMatchError(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: mapping to a resource for pruning: %w", gk, err)
		}
		if mapping.Scope.Name() != meta.RESTScopeNameNamespace {
			out = append(out, listTarget{mapping: mapping})
			continue
		}
		for _, ns := range sets.List(m.namespaces) {
			out = append(out, listTarget{mapping: mapping, namespace: ns})
		}
	}
	return out, nil
}

// listMembers lists the objects of one target labelled part-of the set.
// The label is checked again on every item: only members are ever pruned.
func (c *Client) listMembers(ctx context.Context, s ApplySet, t listTarget) ([]*unstructured.Unstructured, error) {
	id := s.ID()
	selector := labels.Set{ApplySetPartOfLabel: id}.String()
	items, err := listAll(ctx, c.resource(t.mapping, t.namespace), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		gvk := t.mapping.GroupVersionKind
		ref := object.Ref{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Namespace: t.namespace, Name: "*"}
		return nil, fmt.Errorf("listing ApplySet members to prune: %w", c.explain(err, ref, "list", t.mapping))
	}
	var out []*unstructured.Unstructured
	for _, u := range items {
		if u.GetLabels()[ApplySetPartOfLabel] == id {
			out = append(out, u)
		}
	}
	return out, nil
}

func pruneLess(a, b *unstructured.Unstructured) bool {
	ka, kb := Ref(a), Ref(b)
	ra, rb := order.Rank(ka.Group, ka.Kind), order.Rank(kb.Group, kb.Kind)
	if ra != rb {
		return ra > rb
	}
	return order.Less(ka, kb)
}

// prune deletes the candidates (in the background, as kubectl does: the
// garbage collector removes what they own), each only if it is still the
// object that was listed (UID precondition). An object already gone counts
// as pruned. The result lists, in order, the objects deleted before any
// failure.
func (c *Client) prune(ctx context.Context, cands []*unstructured.Unstructured, dryRun bool) ([]Applied, error) {
	errs := forEach(ctx, len(cands), c.concurrency, func(ctx context.Context, i int) error {
		return c.deleteMember(ctx, cands[i], dryRun)
	})
	var out []Applied
	var first error
	failed := 0
	for i, u := range cands {
		if errs[i] != nil {
			if failed == 0 {
				first = errs[i]
			}
			failed++
			continue
		}
		out = append(out, Applied{Object: Ref(u), Action: plan.Delete})
	}
	if failed > 1 {
		first = fmt.Errorf("%w (and %d more objects could not be pruned)", first, failed-1)
	}
	return out, first
}

func (c *Client) deleteMember(ctx context.Context, u *unstructured.Unstructured, dryRun bool) error {
	gvk := u.GroupVersionKind()
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s: mapping to a resource for pruning: %w", Ref(u), err)
	}
	background := metav1.DeletePropagationBackground
	uid := u.GetUID()
	opts := metav1.DeleteOptions{PropagationPolicy: &background, Preconditions: &metav1.Preconditions{UID: &uid}}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	err = c.resource(m, u.GetNamespace()).Delete(ctx, u.GetName(), opts)
	if apierrors.IsNotFound(err) {
		return nil
	}
	return c.explain(err, Ref(u), "delete", m)
}
