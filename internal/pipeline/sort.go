package pipeline

import (
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/order"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Sort puts objects in apply order (see internal/order), then namespace and
// name, so that the same directory always renders to the same bytes.
type Sort struct{}

var _ kio.Filter = Sort{}

// Filter implements kio.Filter.
func (Sort) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	keys := make([]object.Ref, len(nodes))
	idx := make([]int, len(nodes))
	for i, n := range nodes {
		keys[i] = object.New(n.GetApiVersion(), n.GetKind(), n.GetNamespace(), n.GetName())
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return order.Less(keys[idx[a]], keys[idx[b]]) })
	out := make([]*yaml.RNode, len(nodes))
	for i, j := range idx {
		out[i] = nodes[j]
	}
	return out, nil
}
