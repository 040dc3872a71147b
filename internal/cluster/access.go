package cluster

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Permission is one verb on one resource in one namespace ("" for the
// cluster scope: a cluster-scoped resource, or a list across namespaces).
type Permission struct {
	Verb, Group, Resource, Namespace string
}

// resourceName is the resource as RBAC messages write it: deployments.apps.
func (p Permission) resourceName() string {
	if p.Group == "" {
		return p.Resource
	}
	return p.Resource + "." + p.Group
}

// Needs is what one run of plan or apply asks of the API server, so that
// a refused request can be turned into the whole list of what is missing
// (reviewed with SelfSubjectAccessReview) instead of one refusal per run.
type Needs struct {
	// Render is true when the read of the live context was refused:
	// list on Namespaces and MeshGateways across namespaces. Plan and Apply
	// leave it false: rendering read them before they were called.
	Render bool
	// Objects are the rendered objects: get, patch and create on each
	// object's resource in its namespace (a server-side apply that
	// creates is authorized as create, dry-run or not).
	Objects []Object
	// Apply is true for apply, false for plan: apply writes the ApplySet
	// parent and deletes what it prunes.
	Apply bool
	// ApplySet is the parent (--applyset): get on it (plan), get, patch
	// and create (apply); list on the members' resources (plan shows, and
	// apply --prune finds, the members no longer in the inputs).
	ApplySet string
	// Prune adds delete on the members' resources (apply --prune).
	Prune bool
	// Instances are the MeshGatewayInstances of the inputs: get on each
	// (is it live?); TakeOver adds patch and delete (apply --take-over).
	Instances []Instance
	TakeOver  bool
}

// permissions lists what n needs, each once, sorted by namespace (the
// cluster scope first), resource and verb.
func (c *Client) permissions(n Needs) []Permission {
	seen := map[Permission]bool{}
	add := func(group, resource, namespace string, verbs ...string) {
		for _, v := range verbs {
			seen[Permission{Verb: v, Group: group, Resource: resource, Namespace: namespace}] = true
		}
	}
	if n.Render {
		add("", "namespaces", "", "list")
		add("kuma.io", "meshgateways", "", "list")
	}
	for _, o := range n.Objects {
		gvk := o.GroupVersionKind()
		m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			continue // not served: its own error, not a permission
		}
		ns := ""
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			if ns = o.GetNamespace(); ns == "" {
				ns = c.defaultNamespace
			}
		}
		add(m.Resource.Group, m.Resource.Resource, ns, "get", "patch", "create")
		if n.ApplySet != "" {
			add(m.Resource.Group, m.Resource.Resource, ns, "list")
			if n.Prune {
				add(m.Resource.Group, m.Resource.Resource, ns, "delete")
			}
		}
	}
	if s, err := c.ApplySet(n.ApplySet); n.ApplySet != "" && err == nil {
		r := s.resource()
		add(r.Group, r.Resource, s.Namespace, "get")
		if n.Apply {
			add(r.Group, r.Resource, s.Namespace, "patch", "create")
		}
	}
	for _, inst := range n.Instances {
		add("kuma.io", "meshgatewayinstances", inst.Namespace, "get")
		if n.TakeOver {
			add("kuma.io", "meshgatewayinstances", inst.Namespace, "patch", "delete")
		}
	}
	out := make([]Permission, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sortPermissions(out)
	return out
}

// verbOrder sorts the verbs of a grant as a person reads them.
var verbOrder = map[string]int{"get": 0, "list": 1, "watch": 2, "create": 3, "patch": 4, "update": 5, "delete": 6}

func sortPermissions(ps []Permission) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		return verbOrder[a.Verb] < verbOrder[b.Verb]
	})
}

// CollectForbidden turns a run that the API server refused (any Forbidden
// answer in err) into one *AccessError that lists everything n needs and
// the user may not do, reviewed one SelfSubjectAccessReview per
// permission, so that one run says all that must be granted. Any other
// err, or a review the server does not answer, leaves err as it is.
func (c *Client) CollectForbidden(ctx context.Context, err error, n Needs) error {
	if err == nil || !anyForbidden(err) {
		return err
	}
	perms := c.permissions(n)
	allowed := make([]bool, len(perms))
	errs := forEach(ctx, len(perms), c.concurrency, func(ctx context.Context, i int) error {
		var err error
		allowed[i], err = c.allowed(ctx, perms[i])
		return err
	})
	for _, e := range errs {
		if e != nil {
			return err
		}
	}
	ae := &AccessError{User: c.forbiddenUser(err), Err: err}
	for i, p := range perms {
		if !allowed[i] {
			ae.Missing = append(ae.Missing, p)
		}
	}
	if len(ae.Missing) == 0 {
		// The reviews allow what was refused (a webhook authorizer, a
		// grant made meanwhile): the server's own answers are the truth.
		return err
	}
	ae.Other = otherErrors(err)
	ae.Refused = refusals(err)
	return ae
}

// anyForbidden reports a Forbidden answer anywhere in err's tree
// (ObjectErrors hold one error per object).
func anyForbidden(err error) bool {
	if s, ok := err.(apierrors.APIStatus); ok && s.Status().Reason == metav1.StatusReasonForbidden {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if anyForbidden(e) {
				return true
			}
		}
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return anyForbidden(e)
		}
	}
	return false
}

// refusals are the failures of err that are Forbidden.
func refusals(err error) []error {
	var oe ObjectErrors
	if !errors.As(err, &oe) {
		return []error{err}
	}
	var out []error
	for _, e := range oe {
		if anyForbidden(e) {
			out = append(out, e)
		}
	}
	return out
}

// otherErrors are the failures of err that are not Forbidden, still
// reported beside the missing permissions.
func otherErrors(err error) []error {
	var oe ObjectErrors
	if !errors.As(err, &oe) {
		return nil
	}
	var out []error
	for _, e := range oe {
		if !anyForbidden(e) {
			out = append(out, e)
		}
	}
	return out
}

// forbiddenUser is the user the server named in its first refusal, else the
// kubeconfig's.
func (c *Client) forbiddenUser(err error) string {
	if sm := forbiddenUser.FindStringSubmatch(err.Error()); sm != nil {
		return sm[1]
	}
	return c.user
}

// AccessError is every permission a run needs that the user lacks, with a
// Role (and ClusterRole) that grants exactly them.
type AccessError struct {
	// User is who was refused ("" when the server did not say).
	User string
	// Missing lists the permissions, sorted by namespace, resource, verb.
	Missing []Permission
	// Refused are the run's failures that the server refused, one per
	// object; the message names the first.
	Refused []error
	// Other are failures of the same run that are not refusals.
	Other []error
	// Err is the run's error as the server's answers made it.
	Err error
}

func (e *AccessError) Unwrap() error { return e.Err }

func (e *AccessError) Error() string {
	user := e.User
	if user == "" {
		user = "the current user"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "forbidden: user %s lacks %d %s this run needs (checked with SelfSubjectAccessReview):\n", user, len(e.Missing), plural(len(e.Missing), "permission", "permissions"))
	for _, g := range groupGrants(e.Missing) {
		where := "at the cluster scope"
		if g.namespace != "" {
			where = "in namespace " + g.namespace
		}
		fmt.Fprintf(&b, "  %s %s %s\n", strings.Join(g.verbs, ", "), g.resourceName(), where)
	}
	if len(e.Refused) > 0 {
		first, _, _ := strings.Cut(e.Refused[0].Error(), "\n")
		fmt.Fprintf(&b, "The server refused %d %s, the first: %s\n", len(e.Refused), plural(len(e.Refused), "request", "requests"), first)
	}
	b.WriteString("Ask a cluster administrator to grant them, for example with this (kubectl apply -f -):\n")
	b.WriteString(e.Role())
	if len(e.Other) > 0 {
		fmt.Fprintf(&b, "Besides, %d %s failed for other reasons:", len(e.Other), plural(len(e.Other), "object", "objects"))
		for _, o := range e.Other {
			b.WriteString("\n  " + strings.ReplaceAll(o.Error(), "\n", "\n    "))
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// rbacGrant is the verbs on one resource in one namespace.
type rbacGrant struct {
	group, resource, namespace string
	verbs                      []string
}

func (g rbacGrant) resourceName() string {
	return Permission{Group: g.group, Resource: g.resource}.resourceName()
}

// groupGrants merges sorted permissions into one rbacGrant per resource and
// namespace, in the same order.
func groupGrants(ps []Permission) []rbacGrant {
	var out []rbacGrant
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].group == p.Group && out[n-1].resource == p.Resource && out[n-1].namespace == p.Namespace {
			out[n-1].verbs = append(out[n-1].verbs, p.Verb)
			continue
		}
		out = append(out, rbacGrant{group: p.Group, resource: p.Resource, namespace: p.Namespace, verbs: []string{p.Verb}})
	}
	return out
}
