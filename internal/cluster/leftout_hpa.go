package cluster

import (
	"context"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
)

var hpaResource = schema.GroupVersionResource{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers"}

// leaveRules reads what the run leaves to others: the ignore rules, and
// the Deployments among objs that a HorizontalPodAutoscaler targets (one
// LIST per namespace of those Deployments). Without the right to list
// autoscalers (or without the API) the rules stand alone: an autoscaler
// that has scaled is still seen in the Deployment's managed fields
// (scaleManagers).
func (c *Client) leaveRules(ctx context.Context, objs []Object, ignore []config.IgnoreRule) (*leaveRules, error) {
	l := &leaveRules{ignore: ignore, autoscaled: map[[2]string]string{}}
	nss := map[string]bool{}
	for _, o := range objs {
		if o.Unstructured != nil && o.GroupVersionKind().Group == "apps" && o.GetKind() == "Deployment" {
			ns := o.GetNamespace()
			if ns == "" {
				ns = c.defaultNamespace
			}
			nss[ns] = true
		}
	}
	names := make([]string, 0, len(nss))
	for ns := range nss {
		names = append(names, ns)
	}
	sort.Strings(names)
	// One LIST per namespace, concurrently (in sequence, 100 namespaces
	// took two seconds across a 20 ms round trip); merged in name order.
	lists := make([]*unstructured.UnstructuredList, len(names))
	errs := forEach(ctx, len(names), c.concurrency, func(ctx context.Context, i int) error {
		list, err := c.dynamic.Resource(hpaResource).Namespace(names[i]).List(ctx, metav1.ListOptions{})
		if apierrors.IsForbidden(err) || apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("listing the HorizontalPodAutoscalers of namespace %s (to leave the replicas they own alone): %w", names[i], err)
		}
		lists[i] = list
		return nil
	})
	for i, ns := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if lists[i] == nil {
			continue
		}
		for _, h := range lists[i].Items {
			if target, ok := hpaTarget(&h); ok {
				l.autoscaled[[2]string{ns, target}] = ns + "/" + h.GetName()
			}
		}
	}
	return l, nil
}

// hpaTarget is the Deployment an autoscaler scales.
func hpaTarget(h *unstructured.Unstructured) (string, bool) {
	ref, _, _ := unstructured.NestedStringMap(h.Object, "spec", "scaleTargetRef")
	if ref["kind"] != "Deployment" {
		return "", false
	}
	if gv, err := schema.ParseGroupVersion(ref["apiVersion"]); err != nil || gv.Group != "apps" {
		return "", false
	}
	return ref["name"], ref["name"] != ""
}
