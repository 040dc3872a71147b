package cluster

import (
	"context"
	"fmt"
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

var (
	namespaceKind   = schema.GroupVersionKind{Version: "v1", Kind: "Namespace"}
	meshGatewayKind = schema.GroupVersionKind{Group: "kuma.io", Version: "v1alpha1", Kind: "MeshGateway"}
)

// LiveContext reads what mesh resolution and gateway matching need from the
// cluster: every Namespace (for its kuma.io/mesh label) and every
// MeshGateway, sorted by name, with metadata.creationTimestamp kept for
// Kuma's tie-break. A cluster without the MeshGateway CRD has no gateways;
// that is not an error here (applying one is).
//
// The two LISTs go out together (one round trip).
func (c *Client) LiveContext(ctx context.Context) (namespaces, meshGateways []*yaml.RNode, err error) {
	var gwErr error
	errs := forEach(ctx, 2, 2, func(ctx context.Context, i int) error {
		var err error
		if i == 0 {
			namespaces, err = c.listNodes(ctx, namespaceKind)
			return err
		}
		meshGateways, gwErr = c.listNodes(ctx, meshGatewayKind)
		return nil
	})
	if errs[0] != nil {
		return nil, nil, errs[0]
	}
	if errs[1] != nil {
		return nil, nil, errs[1] // interrupted before the LIST began
	}
	if meta.IsNoMatchError(gwErr) {
		return namespaces, nil, nil
	}
	return namespaces, meshGateways, gwErr
}

// listNodes lists every object of a kind in all namespaces as RNodes.
func (c *Client) listNodes(ctx context.Context, gvk schema.GroupVersionKind) ([]*yaml.RNode, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return nil, err
	}
	items, err := listAll(ctx, c.dynamic.Resource(m.Resource), metav1.ListOptions{})
	if err != nil {
		ref := object.Ref{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Name: "*"}
		return nil, c.explain(err, ref, "list", m)
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].GetNamespace() != items[j].GetNamespace() {
			return items[i].GetNamespace() < items[j].GetNamespace()
		}
		return items[i].GetName() < items[j].GetName()
	})
	out := make([]*yaml.RNode, 0, len(items))
	for _, u := range items {
		u.SetManagedFields(nil)
		rn, err := yaml.FromMap(u.Object)
		if err != nil {
			return nil, fmt.Errorf("%s: converting to YAML: %w", Ref(u), err)
		}
		out = append(out, rn)
	}
	return out, nil
}
