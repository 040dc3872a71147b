package diff

import (
	"reflect"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Masks that replace secret values. A value that is the same on both sides is
// shown as Mask on both; a value that differs is shown as MaskBefore on the
// live side and MaskAfter on the desired side, so the diff still says "this
// key changed" without saying what it was or became (the same idea as
// `kubectl diff`).
const (
	Mask       = "***"
	MaskBefore = "*** (before)"
	MaskAfter  = "*** (after)"
)

// secretFields are the fields of a core/v1 Secret that hold secret values.
// stringData is write-only in the API but can appear in a desired object.
var secretFields = []string{"data", "stringData"}

// MaskSecrets replaces, in place, every value under data and stringData of
// before and after when they are core/v1 Secrets. Either side may be nil (a
// create or a delete); objects of other kinds are left alone. The client-side
// apply annotation is masked the same way because it carries a full copy of
// the Secret; Normalize already drops it, this is a second line of defence
// for callers that diff objects they did not normalise.
func MaskSecrets(before, after *unstructured.Unstructured) {
	b, a := secretObject(before), secretObject(after)
	if b == nil && a == nil {
		return
	}
	for _, field := range secretFields {
		maskField(b, a, field)
	}
	maskLastApplied(b, a)
}

// secretObject returns the object map of obj when obj is a core/v1 Secret.
func secretObject(obj *unstructured.Unstructured) map[string]interface{} {
	if obj == nil || obj.Object == nil {
		return nil
	}
	if obj.GetAPIVersion() != "v1" || obj.GetKind() != "Secret" {
		return nil
	}
	return obj.Object
}

// maskField masks before[field] and after[field]. A field that is a map is
// masked value by value; any other value (invalid for a Secret, but possible
// in a directory) is masked as a whole so nothing can slip through; null
// holds no secret and stays null.
func maskField(before, after map[string]interface{}, field string) {
	bv, bok := lookup(before, field)
	av, aok := lookup(after, field)
	bm, bIsMap := bv.(map[string]interface{})
	am, aIsMap := av.(map[string]interface{})
	switch {
	case bok && aok && bIsMap && aIsMap:
		maskMaps(bm, am)
	default:
		if bIsMap {
			maskMaps(bm, nil)
		} else if bok && bv != nil {
			before[field] = maskValue(bv, av, aok, MaskBefore)
		}
		if aIsMap {
			maskMaps(nil, am)
		} else if aok && av != nil {
			after[field] = maskValue(av, bv, bok, MaskAfter)
		}
	}
}

// maskMaps masks every value of before and after (either may be nil),
// comparing values of the same key across the two sides. The masks of before
// are stored last so that the loop over after still sees the real values.
func maskMaps(before, after map[string]interface{}) {
	masked := make(map[string]string, len(before))
	for k, bv := range before {
		av, ok := after[k]
		masked[k] = maskValue(bv, av, ok, MaskBefore)
	}
	for k, av := range after {
		bv, ok := before[k]
		after[k] = maskValue(av, bv, ok, MaskAfter)
	}
	for k, m := range masked {
		before[k] = m
	}
}

// maskValue is the mask for value v given the other side's value: Mask when
// the other side has the same value or no value at all, changed otherwise.
func maskValue(v, other interface{}, otherExists bool, changed string) string {
	if !otherExists || reflect.DeepEqual(v, other) {
		return Mask
	}
	return changed
}

// maskLastApplied masks the client-side apply annotation on either side.
func maskLastApplied(before, after map[string]interface{}) {
	bAnn := annotations(before)
	aAnn := annotations(after)
	bv, bok := bAnn[LastAppliedAnnotation]
	av, aok := aAnn[LastAppliedAnnotation]
	if bok {
		bAnn[LastAppliedAnnotation] = maskValue(bv, av, aok, MaskBefore)
	}
	if aok {
		aAnn[LastAppliedAnnotation] = maskValue(av, bv, bok, MaskAfter)
	}
}

// annotations returns obj's metadata.annotations map, or nil.
func annotations(obj map[string]interface{}) map[string]interface{} {
	meta, _ := obj["metadata"].(map[string]interface{})
	ann, _ := meta["annotations"].(map[string]interface{})
	return ann
}

// lookup is obj[field] for a possibly nil obj.
func lookup(obj map[string]interface{}, field string) (interface{}, bool) {
	if obj == nil {
		return nil, false
	}
	v, ok := obj[field]
	return v, ok
}
