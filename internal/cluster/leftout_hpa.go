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
// LIST, see listAutoscalers). Without the right to list autoscalers (or
// without the API) the rules stand alone: an autoscaler that has scaled is
// still seen in the Deployment's managed fields (scaleManagers).
func (c *Client) leaveRules(ctx context.Context, objs []Object, ignore []config.IgnoreRule) (*leaveRules, error) {
	l := &leaveRules{ignore: ignore, autoscaled: map[[2]string]string{}}
	nss := map[string]bool{}
	deployments := 0
	for _, o := range objs {
		if o.Unstructured != nil && o.GroupVersionKind().Group == "apps" && o.GetKind() == "Deployment" {
			ns := o.GetNamespace()
			if ns == "" {
				ns = c.defaultNamespace
			}
			nss[ns] = true
			deployments++
		}
	}
	names := make([]string, 0, len(nss))
	for ns := range nss {
		names = append(names, ns)
	}
	sort.Strings(names)
	hpas, err := c.listAutoscalers(ctx, names, deployments)
	if err != nil {
		return nil, err
	}
	for _, h := range hpas {
		if target, ok := hpaTarget(h); ok {
			ns := h.GetNamespace()
			l.autoscaled[[2]string{ns, target}] = ns + "/" + h.GetName()
		}
	}
	return l, nil
}

// listAutoscalers returns the autoscalers of the namespaces nss (sorted).
// Deployments spread over several namespaces (a gateway per team namespace)
// are served by one LIST across namespaces, capped as prefetch caps its
// LISTs (listFactor times the Deployments, one page); when that is refused
// (a user whose Roles are per namespace) or the cluster holds more
// autoscalers than the cap, it is one LIST per namespace, concurrently (in
// sequence, 100 namespaces took two seconds across a 20 ms round trip).
func (c *Client) listAutoscalers(ctx context.Context, nss []string, deployments int) ([]*unstructured.Unstructured, error) {
	if len(nss) > 1 {
		list, err := c.dynamic.Resource(hpaResource).List(ctx, metav1.ListOptions{Limit: int64(max(listFactor*deployments, listPageSize))})
		if apierrors.IsNotFound(err) {
			return nil, nil // no autoscaling/v2 API
		}
		if err == nil && list.GetContinue() == "" {
			want := map[string]bool{}
			for _, ns := range nss {
				want[ns] = true
			}
			var out []*unstructured.Unstructured
			for i := range list.Items {
				if want[list.Items[i].GetNamespace()] {
					out = append(out, &list.Items[i])
				}
			}
			return out, nil
		}
		if err != nil && !apierrors.IsForbidden(err) {
			return nil, fmt.Errorf("listing the HorizontalPodAutoscalers of all namespaces (to leave the replicas they own alone): %w", err)
		}
	}
	lists := make([]*unstructured.UnstructuredList, len(nss))
	errs := forEach(ctx, len(nss), c.concurrency, func(ctx context.Context, i int) error {
		list, err := c.dynamic.Resource(hpaResource).Namespace(nss[i]).List(ctx, metav1.ListOptions{})
		if apierrors.IsForbidden(err) || apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("listing the HorizontalPodAutoscalers of namespace %s (to leave the replicas they own alone): %w", nss[i], err)
		}
		lists[i] = list
		return nil
	})
	var out []*unstructured.Unstructured
	for i := range nss {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if lists[i] != nil {
			for j := range lists[i].Items {
				out = append(out, &lists[i].Items[j])
			}
		}
	}
	return out, nil
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
