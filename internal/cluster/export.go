package cluster

import (
	"context"
	"fmt"
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ExportOptions say which MeshGatewayInstances import writes.
type ExportOptions struct {
	// Namespace limits the instances to one namespace; "" means all.
	Namespace string
	// Names limits the instances to these names; empty means all.
	Names []string
}

// Export is what import writes: the cluster's instances and gateways as a
// person would have written them, and the gateway Deployments Kuma built
// for them (read for the control-plane settings, not written).
type Export struct {
	Instances []*unstructured.Unstructured
	Gateways  []*unstructured.Unstructured
	// Deployments are the Deployments controlled by an exported instance,
	// in the instances' order.
	Deployments []*unstructured.Unstructured
	// Notes say what could not be read, for the caller to print.
	Notes []string
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// Export reads the cluster's MeshGatewayInstances (those opts selects),
// every MeshGateway (cluster-scoped: any can match an instance), and the
// Deployments Kuma built for the instances. Objects come back clean: no
// status, server-set metadata, or values equal to their CRD's defaults.
func (c *Client) Export(ctx context.Context, opts ExportOptions) (*Export, error) {
	out := &Export{}
	insts, err := c.listKind(ctx, instanceKind, opts.Namespace)
	if err != nil {
		return nil, err
	}
	if len(opts.Names) > 0 {
		insts = byNames(insts, opts.Names)
		if len(insts) < len(opts.Names) {
			return nil, fmt.Errorf("MeshGatewayInstance %v: not all found%s; kubectl get meshgatewayinstances -A lists them", opts.Names, inNamespace(opts.Namespace))
		}
	}
	gws, err := c.listKind(ctx, meshGatewayKind, "")
	if err != nil {
		return nil, err
	}
	instDefaults, note := c.crdDefaults(ctx, "meshgatewayinstances.kuma.io")
	out.Notes = append(out.Notes, note...)
	gwDefaults, note := c.crdDefaults(ctx, "meshgateways.kuma.io")
	out.Notes = append(out.Notes, note...)
	for _, u := range insts {
		dep, err := c.builtDeployment(ctx, u)
		if err != nil {
			return nil, err
		}
		if dep != nil {
			out.Deployments = append(out.Deployments, dep)
		}
		out.Instances = append(out.Instances, cleanObject(u, instDefaults))
	}
	for _, u := range gws {
		out.Gateways = append(out.Gateways, cleanObject(u, gwDefaults))
	}
	return out, nil
}

func inNamespace(ns string) string {
	if ns == "" {
		return ""
	}
	return " in namespace " + ns
}

func byNames(items []*unstructured.Unstructured, names []string) []*unstructured.Unstructured {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []*unstructured.Unstructured
	for _, u := range items {
		if want[u.GetName()] {
			out = append(out, u)
		}
	}
	return out
}

// listKind lists every object of a kind (in ns, or everywhere), sorted by
// namespace and name; a kind the cluster does not serve has none.
func (c *Client) listKind(ctx context.Context, gvk schema.GroupVersionKind, ns string) ([]*unstructured.Unstructured, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", gvk, err)
	}
	ri := c.dynamic.Resource(m.Resource)
	var out []*unstructured.Unstructured
	opts := metav1.ListOptions{Limit: 500}
	for {
		var list *unstructured.UnstructuredList
		if ns != "" && m.Scope.Name() == meta.RESTScopeNameNamespace {
			list, err = ri.Namespace(ns).List(ctx, opts)
		} else {
			list, err = ri.List(ctx, opts)
		}
		if err != nil {
			ref := object.Ref{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Namespace: ns, Name: "*"}
			return nil, c.explain(err, ref, "list", m)
		}
		for i := range list.Items {
			out = append(out, &list.Items[i])
		}
		if opts.Continue = list.GetContinue(); opts.Continue == "" {
			break
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].GetNamespace() != out[j].GetNamespace() {
			return out[i].GetNamespace() < out[j].GetNamespace()
		}
		return out[i].GetName() < out[j].GetName()
	})
	return out, nil
}

// builtDeployment is the Deployment Kuma built for inst: same namespace and
// name, controlled by it. nil when there is none (or it is not Kuma's).
func (c *Client) builtDeployment(ctx context.Context, inst *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	m, err := c.mapper.RESTMapping(deploymentKind, "v1")
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", deploymentKind, err)
	}
	dep, err := c.resource(m, inst.GetNamespace()).Get(ctx, inst.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		ref := object.Ref{Group: "apps", Version: "v1", Kind: "Deployment", Namespace: inst.GetNamespace(), Name: inst.GetName()}
		return nil, c.explain(err, ref, "get", m)
	}
	if ref := metav1.GetControllerOf(dep); ref == nil || ref.UID != inst.GetUID() {
		return nil, nil
	}
	return dep, nil
}
