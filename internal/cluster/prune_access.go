package cluster

import (
	"context"
	"fmt"
	"sort"
	"strings"

	authv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// RulePruneForbidden: the user may not delete what apply --prune would delete.
const RulePruneForbidden = "PruneForbidden"

var ssarResource = schema.GroupVersionResource{Group: "authorization.k8s.io", Version: "v1", Resource: "selfsubjectaccessreviews"}

// pruneScope is one resource in one namespace that a prune deletes from.
type pruneScope struct {
	group, resource, namespace string
}

// pruneAccess asks the API server, one SelfSubjectAccessReview per resource
// and namespace, whether the user may delete what apply --prune would
// delete, so that a plan that passes does not hide an apply that fails
// half-way. A plan needs no delete permission of its own, so a refusal is a
// warning naming what to grant; a review the server does not answer is an
// info finding, never a guess.
func (c *Client) pruneAccess(ctx context.Context, cands []*unstructured.Unstructured) finding.List {
	counts := map[pruneScope]int{}
	for _, u := range cands {
		gvk := u.GroupVersionKind()
		m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			continue
		}
		counts[pruneScope{m.Resource.Group, m.Resource.Resource, u.GetNamespace()}]++
	}
	scopes := make([]pruneScope, 0, len(counts))
	for s := range counts {
		scopes = append(scopes, s)
	}
	sort.Slice(scopes, func(i, j int) bool { return scopes[i].String() < scopes[j].String() })
	var fs finding.List
	for _, s := range scopes {
		allowed, err := c.mayDelete(ctx, s)
		switch {
		case err != nil:
			fs = append(fs, finding.Finding{Rule: RulePruneForbidden, Severity: finding.Info,
				Message: fmt.Sprintf("could not check whether you may delete %s: %v", s, err)})
		case !allowed:
			fs = append(fs, finding.Finding{Rule: RulePruneForbidden, Severity: finding.Warning,
				Message: fmt.Sprintf("apply --prune would be forbidden to delete %d %s: grant the verb delete on %s", counts[s], s, s.grant())})
		}
	}
	return fs
}

// mayDelete sends one SelfSubjectAccessReview for the verb delete.
func (c *Client) mayDelete(ctx context.Context, s pruneScope) (bool, error) {
	return c.allowed(ctx, Permission{Verb: "delete", Group: s.group, Resource: s.resource, Namespace: s.namespace})
}

// allowed sends one SelfSubjectAccessReview: may the user do p?
func (c *Client) allowed(ctx context.Context, p Permission) (bool, error) {
	review := &authv1.SelfSubjectAccessReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "authorization.k8s.io/v1", Kind: "SelfSubjectAccessReview"},
		Spec: authv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authv1.ResourceAttributes{
			Verb: p.Verb, Group: p.Group, Resource: p.Resource, Namespace: p.Namespace}},
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(review)
	if err != nil {
		return false, err
	}
	out, err := c.dynamic.Resource(ssarResource).Create(ctx, &unstructured.Unstructured{Object: obj}, metav1.CreateOptions{})
	if err != nil {
		return false, err
	}
	allowed, _, err := unstructured.NestedBool(out.Object, "status", "allowed")
	return allowed, err
}

func (s pruneScope) String() string {
	r := s.resource
	if s.group != "" {
		r += "." + s.group
	}
	if s.namespace == "" {
		return r
	}
	return r + " in namespace " + s.namespace
}

// grant says what a Role or ClusterRole rule must hold.
func (s pruneScope) grant() string {
	g := s.group
	if g == "" {
		g = `""`
	}
	where := "a ClusterRole"
	if s.namespace != "" {
		where = "a Role in namespace " + s.namespace
	}
	return strings.Join([]string{"apiGroups [" + g + "]", "resources [" + s.resource + "]", "in " + where}, ", ")
}
