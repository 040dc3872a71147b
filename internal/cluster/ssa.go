package cluster

import (
	"context"
	"fmt"
	"net/http"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// The server-side apply request is sent through the REST client rather than
// the dynamic client because only the HTTP status says what the server did:
// 201 when this request created the object, 200 when it already existed.
// Two applies racing on a new object both read "not found"; only one gets
// a 201.

// patchParams encodes PatchOptions as query parameters, as the dynamic
// client does.
var patchParams = func() runtime.ParameterCodec {
	s := runtime.NewScheme()
	metav1.AddToGroupVersion(s, schema.GroupVersion{Version: "v1"})
	return runtime.NewParameterCodec(s)
}()

// applied is the server's answer to one server-side apply.
type applyAnswer struct {
	result    *unstructured.Unstructured
	conflicts []plan.FieldConflict
	// created is true when the server answered 201 Created.
	created bool
	// lost is true when an earlier try of the request got no answer: the
	// server may have acted on it (so a 200 can follow our own create).
	lost bool
}

// apply sends one server-side apply patch. A conflict is returned as data.
func (c *Client) apply(ctx context.Context, m *meta.RESTMapping, desired *unstructured.Unstructured, manager string, force, dryRun bool) (applyAnswer, error) {
	body, err := desired.MarshalJSON()
	if err != nil {
		return applyAnswer{}, fmt.Errorf("encoding as JSON: %w", err)
	}
	opts := metav1.PatchOptions{FieldManager: manager, Force: &force}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	ctx, tr := withTries(ctx)
	var code int
	res := c.rest.Patch(types.ApplyPatchType).
		AbsPath(resourcePath(m, desired.GetNamespace(), desired.GetName())...).
		Body(body).
		SpecificallyVersionedParams(&opts, patchParams, schema.GroupVersion{Version: "v1"}).
		Do(ctx).StatusCode(&code)
	// Error, unlike Raw, reads the server's Status (reason, causes).
	err = res.Error()
	raw, _ := res.Raw()
	ans := applyAnswer{lost: tr.lost.Load() > 0}
	if cs, ok := conflictsOf(err); ok {
		ans.conflicts = cs
		return ans, nil
	}
	if err != nil {
		return ans, err
	}
	ans.result = &unstructured.Unstructured{}
	if err := ans.result.UnmarshalJSON(raw); err != nil {
		return ans, fmt.Errorf("reading the server's answer: %w", err)
	}
	ans.created = code == http.StatusCreated
	return ans, nil
}

// resourcePath is the URL path of one object, as the dynamic client builds it.
func resourcePath(m *meta.RESTMapping, namespace, name string) []string {
	gvr := m.Resource
	var p []string
	if gvr.Group == "" {
		p = []string{"/api", gvr.Version}
	} else {
		p = []string{"/apis", gvr.Group, gvr.Version}
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace && namespace != "" {
		p = append(p, "namespaces", namespace)
	}
	return append(p, gvr.Resource, name)
}
