package cluster

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/pager"
)

// listPageSize is how many objects one LIST page holds.
const listPageSize = 500

// listAll lists every object opts selects, page by page with client-go's
// pager (which also falls back to one full LIST when a continue token
// expires), and returns the items in the server's order.
func listAll(ctx context.Context, ri dynamic.ResourceInterface, opts metav1.ListOptions) ([]*unstructured.Unstructured, error) {
	p := pager.New(func(ctx context.Context, opts metav1.ListOptions) (runtime.Object, error) {
		return ri.List(ctx, opts)
	})
	p.PageSize = listPageSize
	var out []*unstructured.Unstructured
	err := p.EachListItem(ctx, opts, func(obj runtime.Object) error {
		out = append(out, obj.(*unstructured.Unstructured))
		return nil
	})
	return out, err
}
