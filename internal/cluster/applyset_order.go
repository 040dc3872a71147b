package cluster

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var namespacesResource = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}

// parentPlace says where the parent goes in an apply: the parent is
// written before any member, but it lives in a namespace, and on a fresh
// cluster the inputs may be what creates that namespace. Then the
// Namespaces of the inputs (first) are applied before the parent and the
// rest after it. A dry-run cannot write into a namespace that does not
// exist, so there the parent is skipped (skip) and nothing is split.
type parentPlace struct {
	first, rest []Object
	skip        bool
}

func (c *Client) placeParent(ctx context.Context, s ApplySet, objs []Object, dryRun bool) (parentPlace, error) {
	_, err := c.dynamic.Resource(namespacesResource).Get(ctx, s.Namespace, metav1.GetOptions{})
	if err == nil || !apierrors.IsNotFound(err) {
		// Present, or not readable: the parent's own write will say.
		return parentPlace{rest: objs}, nil
	}
	var nss, rest []Object
	created := false
	for _, o := range objs {
		if o.GetKind() == "Namespace" && o.GroupVersionKind().Group == "" {
			nss = append(nss, o)
			created = created || o.GetName() == s.Namespace
			continue
		}
		rest = append(rest, o)
	}
	switch {
	case !created:
		return parentPlace{}, fmt.Errorf("ApplySet %s: its namespace %s does not exist: create it, add it to the inputs, or choose another namespace with -n", s, s.Namespace)
	case dryRun:
		return parentPlace{rest: objs, skip: true}, nil
	default:
		return parentPlace{first: nss, rest: rest}, nil
	}
}
