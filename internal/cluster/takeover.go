package cluster

import (
	"context"
	"fmt"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/sets"
)

// Taking a gateway over from Kuma's controller. Kuma builds a Deployment and
// a Service per MeshGatewayInstance, with a controller ownerReference to the
// instance (blockOwnerDeletion) and its fields owned by the control plane's
// Update manager (kuma-cp). A live instance of the directory therefore means
// two writers of the same objects, and deleting the instance the ordinary
// way deletes its gateway. --take-over moves the objects to the tool in an
// order that can never cascade a deletion, wherever it is interrupted:
//
//  1. the objects are applied, taking ownership from Kuma's manager of
//     exactly the fields the tool renders (a conflict with any other
//     manager still stops, unless --force-conflicts);
//  2. the ownerReference to the instance is removed from each object;
//  3. the instance is deleted with propagationPolicy Orphan (and its UID as
//     precondition), so even an ownerReference Kuma put back meanwhile
//     is orphaned rather than followed.
//
// Until step 3 the instance exists and nothing is deleted; after it, the
// objects have no owner. A rerun finds whatever is left and does only that.

// Instance is a MeshGatewayInstance of the directory.
type Instance struct {
	Namespace, Name string
	// Source is where it is in the directory (file:line).
	Source string
	// Mesh and Gateway are what the expansion matched it to (Gateway ""
	// for no MeshGateway); status reads them.
	Mesh, Gateway string
}

// DefaultKumaManager is the field manager of Kuma's control plane in a
// default install (the binary's name).
const DefaultKumaManager = "kuma-cp"

// TakeOverStep names the steps of a takeover, for the Interrupt test seam.
type TakeOverStep string

const (
	StepOwnership      TakeOverStep = "ownership"
	StepOwnerReference TakeOverStep = "ownerReference"
	StepDeleteInstance TakeOverStep = "deleteInstance"
)

var (
	instanceKind   = schema.GroupVersionKind{Group: "kuma.io", Version: "v1alpha1", Kind: "MeshGatewayInstance"}
	deploymentKind = schema.GroupKind{Group: "apps", Kind: "Deployment"}
	serviceKind    = schema.GroupKind{Kind: "Service"}
)

// takeover is one instance of the directory that is live in the cluster.
type takeover struct {
	inst Instance
	// live is the live MeshGatewayInstance.
	live *unstructured.Unstructured
	// objects are the desired objects built from the instance that exist
	// in the cluster, in apply order (Service before Deployment).
	objects []object.Ref
}

func (t takeover) ref() object.Ref {
	return object.Ref{Group: instanceKind.Group, Version: instanceKind.Version, Kind: instanceKind.Kind, Namespace: t.inst.Namespace, Name: t.inst.Name}
}

// generatedBy reports whether o is the Deployment or Service Kuma builds for
// inst: same namespace and name (Kuma names both after the instance).
func generatedBy(o Object, inst Instance, defaultNamespace string) bool {
	gk := o.GroupVersionKind().GroupKind()
	if gk != deploymentKind && gk != serviceKind || o.GetName() != inst.Name {
		return false
	}
	ns := o.GetNamespace()
	if ns == "" {
		ns = defaultNamespace
	}
	return ns == inst.Namespace
}

// liveInstances finds the directory's instances that exist in the cluster,
// with the objects built from them that exist too. A cluster that does not
// serve MeshGatewayInstances has none.
func (c *Client) liveInstances(ctx context.Context, insts []Instance, objs []Object) ([]takeover, error) {
	if len(insts) == 0 {
		return nil, nil
	}
	m, err := c.mapper.RESTMapping(instanceKind.GroupKind(), instanceKind.Version)
	if meta.IsNoMatchError(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", instanceKind, err)
	}
	// Across a 20 ms round trip, 100 instances read one after another
	// took two seconds: they are listed in one request when that is
	// allowed and small, else read concurrently.
	listed := c.listInstances(ctx, m, len(insts))
	found := make([]*takeover, len(insts))
	errs := forEach(ctx, len(insts), c.concurrency, func(ctx context.Context, i int) error {
		inst := insts[i]
		t := takeover{inst: inst}
		var live *unstructured.Unstructured
		if listed != nil {
			if live = listed[[2]string{inst.Namespace, inst.Name}]; live == nil {
				return nil
			}
		} else {
			var err error
			live, err = c.resource(m, inst.Namespace).Get(ctx, inst.Name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil
			}
			if err != nil {
				return c.explain(err, t.ref(), "get", m)
			}
		}
		t.live = live
		for _, o := range objs {
			if !generatedBy(o, inst, c.defaultNamespace) {
				continue
			}
			ref := Ref(o.Unstructured)
			ref.Namespace = inst.Namespace
			exists, err := c.exists(ctx, o, ref)
			if err != nil {
				return err
			}
			if exists {
				t.objects = append(t.objects, ref)
			}
		}
		sortRefs(t.objects)
		found[i] = &t
		return nil
	})
	var out []takeover
	for i, t := range found {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if t != nil {
			out = append(out, *t)
		}
	}
	return out, nil
}

// exists reports whether the object o names is in the cluster.
func (c *Client) exists(ctx context.Context, o Object, ref object.Ref) (bool, error) {
	m, err := c.mapper.RESTMapping(o.GroupVersionKind().GroupKind(), o.GroupVersionKind().Version)
	if err != nil {
		return false, fmt.Errorf("%s: mapping to a resource: %w", ref, err)
	}
	_, err = c.resource(m, ref.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, c.explain(err, ref, "get", m)
	}
	return true, nil
}

// listInstances lists the MeshGatewayInstances of every namespace, by
// namespace and name, when there are at least minPrefetch to look up and
// the list fits one page of listFactor times as many; nil otherwise (no
// right to list across namespaces, a large cluster), and they are read
// one by one.
func (c *Client) listInstances(ctx context.Context, m *meta.RESTMapping, n int) map[[2]string]*unstructured.Unstructured {
	if n < minPrefetch {
		return nil
	}
	list, err := c.dynamic.Resource(m.Resource).List(ctx, metav1.ListOptions{Limit: int64(listFactor * n)})
	if err != nil || list.GetContinue() != "" {
		return nil
	}
	out := make(map[[2]string]*unstructured.Unstructured, len(list.Items))
	for i := range list.Items {
		u := &list.Items[i]
		out[[2]string{u.GetNamespace(), u.GetName()}] = u
	}
	return out
}

// sortRefs puts Services before Deployments, as apply orders them.
func sortRefs(refs []object.Ref) {
	for i := 1; i < len(refs); i++ {
		for j := i; j > 0 && refs[j].Kind == "Service" && refs[j-1].Kind != "Service"; j-- {
			refs[j], refs[j-1] = refs[j-1], refs[j]
		}
	}
}

// takeOverKeys are the objects whose conflicts with Kuma's manager the
// step may force.
func takeOverKeys(tos []takeover) map[object.Ref]bool {
	out := map[object.Ref]bool{}
	for _, t := range tos {
		for _, r := range t.objects {
			out[r.ID()] = true
		}
	}
	return out
}

// withoutGenerated drops the objects built from live instances: without
// --take-over they are never written.
func withoutGenerated(objs []Object, tos []takeover, defaultNamespace string) []Object {
	var out []Object
	for _, o := range objs {
		skip := false
		for _, t := range tos {
			if generatedBy(o, t.inst, defaultNamespace) {
				skip = true
				break
			}
		}
		if !skip {
			out = append(out, o)
		}
	}
	return out
}

// liveInstanceNote says what a live instance means and what to do.
func liveInstanceNote(t takeover) string {
	return fmt.Sprintf("MeshGatewayInstance %s/%s is live in the cluster: Kuma's controller builds its Deployment and Service and would keep rewriting them, and deleting the instance deletes them. Its objects are not written. Run plan and apply with --take-over to move them to kubectl-mgi without downtime (docs/takeover.md).",
		t.inst.Namespace, t.inst.Name)
}

// LiveInstanceError is an apply refused, before anything was written,
// because instances of the directory are live in the cluster.
type LiveInstanceError struct {
	Instances []object.Ref
}

func (e *LiveInstanceError) Error() string {
	names := make([]string, len(e.Instances))
	for i, r := range e.Instances {
		names[i] = r.Namespace + "/" + r.Name
	}
	return fmt.Sprintf("MeshGatewayInstance %s is live in the cluster: Kuma's controller owns its Deployment and Service and would keep rewriting them; nothing was applied. Run kubectl mgi plan --take-over, then apply --take-over, to move them to kubectl-mgi without downtime (docs/takeover.md)",
		strings.Join(names, ", "))
}

// forgivenManagers are the managers whose conflicts on obj the step may
// force: Kuma's, for an object being taken over.
func (r *run) forgivenManagers(ref object.Ref) sets.Set[string] {
	if r.takeOver[ref.ID()] {
		return r.kumaManagers
	}
	return nil
}

// kumaManagers is the set of Kuma's managers, DefaultKumaManager when none
// are named.
func kumaManagers(names []string) sets.Set[string] {
	if len(names) == 0 {
		return sets.New(DefaultKumaManager)
	}
	return sets.New(names...)
}
