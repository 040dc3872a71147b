package cluster

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
)

// Planning a converged directory asks the server for hundreds of dry-runs
// that all come back "no change". For the kinds whose schema client-go
// carries, that answer can be read off the live object instead: a server-
// side apply changes nothing when the fields the manager owns (its Apply
// entry in managedFields) hold exactly the values of the object applied
// again. If anybody else changed one of those fields, ownership moved to
// them and the owned set no longer matches, so the server is asked as
// usual. Only plan takes this shortcut; apply always sends the request.

// ownedExtractors read the configuration a manager applied, per kind.
var ownedExtractors = map[schema.GroupVersionKind]func(*unstructured.Unstructured, string) (any, error){
	appsv1.SchemeGroupVersion.WithKind("Deployment"): func(u *unstructured.Unstructured, m string) (any, error) {
		var o appsv1.Deployment
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &o); err != nil {
			return nil, err
		}
		return appsv1ac.ExtractDeployment(&o, m)
	},
	corev1.SchemeGroupVersion.WithKind("Service"): func(u *unstructured.Unstructured, m string) (any, error) {
		var o corev1.Service
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &o); err != nil {
			return nil, err
		}
		return corev1ac.ExtractService(&o, m)
	},
	corev1.SchemeGroupVersion.WithKind("ConfigMap"): func(u *unstructured.Unstructured, m string) (any, error) {
		var o corev1.ConfigMap
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &o); err != nil {
			return nil, err
		}
		return corev1ac.ExtractConfigMap(&o, m)
	},
	// A Secret compares by data: prepare has merged stringData into it.
	corev1.SchemeGroupVersion.WithKind("Secret"): func(u *unstructured.Unstructured, m string) (any, error) {
		var o corev1.Secret
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &o); err != nil {
			return nil, err
		}
		return corev1ac.ExtractSecret(&o, m)
	},
	corev1.SchemeGroupVersion.WithKind("Namespace"): func(u *unstructured.Unstructured, m string) (any, error) {
		var o corev1.Namespace
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &o); err != nil {
			return nil, err
		}
		return corev1ac.ExtractNamespace(&o, m)
	},
	corev1.SchemeGroupVersion.WithKind("ServiceAccount"): func(u *unstructured.Unstructured, m string) (any, error) {
		var o corev1.ServiceAccount
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &o); err != nil {
			return nil, err
		}
		return corev1ac.ExtractServiceAccount(&o, m)
	},
}

// applyIsNoOp reports whether applying desired as manager would leave live
// as it is. false means "ask the server", never "it would change".
func applyIsNoOp(live, desired *unstructured.Unstructured, manager string) bool {
	if live == nil || live.GroupVersionKind() != desired.GroupVersionKind() {
		return false
	}
	extract, ok := ownedExtractors[desired.GroupVersionKind()]
	if !ok {
		return false
	}
	owned, err := extract(live, manager)
	if err != nil {
		return false
	}
	a, errA := asJSONValue(owned)
	b, errB := asJSONValue(desired.Object)
	if errA != nil || errB != nil {
		return false
	}
	dropZeroDivisors(a)
	dropZeroDivisors(b)
	return reflect.DeepEqual(a, b)
}

// asJSONValue is v as encoding/json reads it back, so that a typed apply
// configuration and an unstructured object compare field by field.
func asJSONValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// dropZeroDivisors removes `divisor: "0"` from every resourceFieldRef. The
// selector is an atomic struct whose divisor is a Quantity value, not a
// pointer: the server stores "0" when none was given, and extraction hands
// the whole struct back, so an unset divisor would never compare equal.
// "0" is that zero value whether written or not, so dropping it on both
// sides changes no verdict.
func dropZeroDivisors(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if m, ok := e.(map[string]any); ok && k == "resourceFieldRef" && m["divisor"] == "0" {
				delete(m, "divisor")
			}
			dropZeroDivisors(e)
		}
	case []any:
		for _, e := range x {
			dropZeroDivisors(e)
		}
	}
}

// dryRunChangesNothing reports whether a dry-run's result is live as it
// is: the same object once server-set fields are left out, and the same
// fields owned by manager's apply. Then the real apply would change
// nothing, and apply does not send it, for kinds without an extractor
// (MeshGateways, CRDs) as well.
func dryRunChangesNothing(live, result *unstructured.Unstructured, manager string) bool {
	if live == nil || result == nil || live.GetResourceVersion() != result.GetResourceVersion() {
		return false
	}
	if !reflect.DeepEqual(diff.Normalize(live).Object, diff.Normalize(result).Object) {
		return false
	}
	a, aok := appliedFields(live, manager)
	b, bok := appliedFields(result, manager)
	return aok && bok && bytes.Equal(a, b)
}

// appliedFields is the field set manager's apply owns in u, as JSON.
func appliedFields(u *unstructured.Unstructured, manager string) ([]byte, bool) {
	for _, e := range u.GetManagedFields() {
		if e.Manager == manager && e.Operation == metav1.ManagedFieldsOperationApply && e.Subresource == "" && e.FieldsV1 != nil {
			b, err := io.ReadAll(e.FieldsV1.GetRawReader())
			return b, err == nil
		}
	}
	return nil, false
}
