package pipeline

import (
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/order"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Sort puts objects in apply order (see internal/order), then namespace and
// name, so that the same directory always renders to the same bytes.
type Sort struct{}

var _ kio.Filter = Sort{}

// Filter implements kio.Filter.
func (Sort) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	refs := make([]object.Ref, len(nodes))
	for i, n := range nodes {
		refs[i] = source.Ref(n)
	}
	return sortByRef(nodes, refs), nil
}

// sortByRef is Sort with refs[i] the reference of nodes[i]. Each object's
// key and rank are read once, not per comparison.
func sortByRef(nodes []*yaml.RNode, refs []object.Ref) []*yaml.RNode {
	type key struct {
		rank int
		ref  object.Ref
	}
	keys := make([]key, len(nodes))
	idx := make([]int, len(nodes))
	for i, ref := range refs {
		keys[i] = key{order.Rank(ref.Group, ref.Kind), ref}
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := &keys[idx[a]], &keys[idx[b]]
		if ka.rank != kb.rank {
			return ka.rank < kb.rank
		}
		return order.LessInRank(ka.ref, kb.ref)
	})
	out := make([]*yaml.RNode, len(nodes))
	for i, j := range idx {
		out[i] = nodes[j]
	}
	return out
}
