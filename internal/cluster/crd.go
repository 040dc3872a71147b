package cluster

import (
	"context"
	"fmt"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
)

var crdResource = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// DefaultCRDTimeout bounds the wait for an applied CRD to be Established.
const DefaultCRDTimeout = time.Minute

// waitEstablished waits until every named CRD reports Established, so that
// objects of their kinds can be applied right after.
func (c *Client) waitEstablished(ctx context.Context, names []string, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultCRDTimeout
	}
	for _, name := range names {
		ref := object.Ref{Group: crdResource.Group, Version: crdResource.Version, Kind: "CustomResourceDefinition", Name: name}
		last := "no Established condition yet"
		err := wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
			u, err := c.dynamic.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
			if err != nil {
				return false, c.explain(err, ref, "get", nil)
			}
			ok, msg := established(u)
			last = msg
			return ok, nil
		})
		if err != nil {
			return fmt.Errorf("%s: not Established after %s (%s): %w; see `kubectl describe crd %s`", ref, timeout, last, err, name)
		}
	}
	return nil
}

// established reads the Established condition of a CRD.
func established(u *unstructured.Unstructured) (bool, string) {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]interface{})
		if !ok || m["type"] != "Established" {
			continue
		}
		msg, _ := m["message"].(string)
		return m["status"] == "True", msg
	}
	return false, "no Established condition yet"
}
