package cluster

import (
	"context"
	"fmt"
	"reflect"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
)

// exportedMetadata are the metadata fields a person writes; the server sets
// every other one.
var exportedMetadata = map[string]bool{"name": true, "namespace": true, "labels": true, "annotations": true}

// defaultAt is one default of a CRD's schema: the value at a path of
// object fields.
type defaultAt struct {
	path  []string
	value interface{}
}

// cleanObject is u as a person would have written it: apiVersion, kind,
// the metadata a person sets (without kubectl's last-applied annotation),
// and the rest without status and without values equal to their CRD
// default (the server fills those in whether written or not). A spec left
// empty stays, as {}: an instance without spec gets no defaults at all.
func cleanObject(u *unstructured.Unstructured, defaults []defaultAt) *unstructured.Unstructured {
	out := u.DeepCopy()
	delete(out.Object, "status")
	if md, ok := out.Object["metadata"].(map[string]interface{}); ok {
		for k := range md {
			if !exportedMetadata[k] {
				delete(md, k)
			}
		}
		if ann, ok := md["annotations"].(map[string]interface{}); ok {
			delete(ann, diff.LastAppliedAnnotation)
			if len(ann) == 0 {
				delete(md, "annotations")
			}
		}
		if l, ok := md["labels"].(map[string]interface{}); ok && len(l) == 0 {
			delete(md, "labels")
		}
	}
	for _, d := range defaults {
		if v, found, _ := unstructured.NestedFieldNoCopy(out.Object, d.path...); found && reflect.DeepEqual(jsonNumber(v), jsonNumber(d.value)) {
			unstructured.RemoveNestedField(out.Object, d.path...)
		}
	}
	return out
}

// jsonNumber makes int64 and float64 of the same value compare equal.
func jsonNumber(v interface{}) interface{} {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int:
		return float64(x)
	}
	return v
}

// crdDefaults reads the defaults of a CRD's served schema (object fields
// only, not inside lists). A CRD that cannot be read gives none and a note:
// the values are then written as the server holds them, which means the
// same.
func (c *Client) crdDefaults(ctx context.Context, name string) ([]defaultAt, []string) {
	crd, err := c.dynamic.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, []string{fmt.Sprintf("CustomResourceDefinition %s could not be read (%v): values equal to its defaults are written as they are", name, err)}
	}
	versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
	for _, v := range versions {
		vm, ok := v.(map[string]interface{})
		if !ok || vm["storage"] != true {
			continue
		}
		schema, _, _ := unstructured.NestedMap(vm, "schema", "openAPIV3Schema")
		var out []defaultAt
		collectDefaults(schema, nil, &out)
		return out, nil
	}
	return nil, nil
}

func collectDefaults(schema map[string]interface{}, path []string, out *[]defaultAt) {
	if d, ok := schema["default"]; ok && len(path) > 0 {
		*out = append(*out, defaultAt{path: append([]string(nil), path...), value: d})
	}
	props, _ := schema["properties"].(map[string]interface{})
	for k, p := range props {
		if pm, ok := p.(map[string]interface{}); ok {
			collectDefaults(pm, append(path, k), out)
		}
	}
}
