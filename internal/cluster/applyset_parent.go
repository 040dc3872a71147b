package cluster

import (
	"context"
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func (s ApplySet) ref() object.Ref {
	return object.Ref{Version: "v1", Kind: s.Kind, Namespace: s.Namespace, Name: s.Name}
}

func (s ApplySet) mapping() *meta.RESTMapping {
	return &meta.RESTMapping{
		Resource:         s.resource(),
		GroupVersionKind: schema.GroupVersionKind{Version: "v1", Kind: s.Kind},
		Scope:            meta.RESTScopeNamespace,
	}
}

// readParent reads the parent (nil when it does not exist yet), refuses one
// this tool must not use, and returns the membership it records.
func (c *Client) readParent(ctx context.Context, s ApplySet) (membership, error) {
	u, err := c.dynamic.Resource(s.resource()).Namespace(s.Namespace).Get(ctx, s.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		u, err = nil, nil
	}
	if err != nil {
		return membership{}, fmt.Errorf("reading the ApplySet parent: %w", c.explain(err, s.ref(), "get", s.mapping()))
	}
	if err := checkParent(s, u); err != nil {
		return membership{}, err
	}
	return readMembership(s, u), nil
}

// writeParent applies the parent with the id label and m as its
// annotations. It is forced: checkParent has made sure the parent is this
// tool's, and a parent last written under another --field-manager must
// still follow the set.
func (c *Client) writeParent(ctx context.Context, s ApplySet, m membership, tooling, manager string, dryRun bool) error {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion("v1")
	u.SetKind(s.Kind)
	u.SetNamespace(s.Namespace)
	u.SetName(s.Name)
	u.SetLabels(map[string]string{ApplySetIDLabel: s.ID()})
	u.SetAnnotations(m.annotations(s, tooling))
	if _, err := c.apply(ctx, s.mapping(), u, manager, true, dryRun); err != nil {
		return fmt.Errorf("writing the ApplySet parent: %w", c.explain(err, s.ref(), "patch", s.mapping()))
	}
	return nil
}

// desiredMembership is the group-kinds and namespaces of objs as they will
// be applied: namespaced kinds without a namespace go to the default one;
// a kind not served yet (its CRD is in the directory) counts with the
// namespace it names, if any.
func (c *Client) desiredMembership(s ApplySet, objs []Object) membership {
	m := newMembership()
	m.namespaces.Insert(s.Namespace)
	for _, o := range objs {
		gvk := o.GroupVersionKind()
		m.groupKinds.Insert(gvk.GroupKind())
		mapping, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		switch {
		case err != nil:
			if o.GetNamespace() != "" {
				m.namespaces.Insert(o.GetNamespace())
			}
		case mapping.Scope.Name() == meta.RESTScopeNameNamespace:
			ns := o.GetNamespace()
			if ns == "" {
				ns = c.defaultNamespace
			}
			m.namespaces.Insert(ns)
		}
	}
	return m
}

// membershipOf is the membership of objects as the server named them.
func membershipOf(s ApplySet, refs []object.Ref) membership {
	m := newMembership()
	m.namespaces.Insert(s.Namespace)
	for _, r := range refs {
		m.groupKinds.Insert(schema.GroupKind{Group: r.Group, Kind: r.Kind})
		if r.Namespace != "" {
			m.namespaces.Insert(r.Namespace)
		}
	}
	return m
}
