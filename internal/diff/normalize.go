package diff

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// LastAppliedAnnotation is written by client-side `kubectl apply`. It holds a
// full copy of an earlier configuration (secrets included) and is noise in a
// diff of server-side applied objects.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// serverMetadata are metadata fields the API server sets on every write.
// They differ between a live object and a dry-run result even when nothing
// that the directory controls has changed, so they are never diffed.
var serverMetadata = []string{
	"managedFields",
	"resourceVersion",
	"uid",
	"generation",
	"creationTimestamp",
	"selfLink",
	"deletionTimestamp",
	"deletionGracePeriodSeconds",
}

// Normalize returns a copy of obj without the fields that would make a diff
// noisy but that applying the directory can never change. obj is not
// modified; a nil obj gives nil.
//
// status is dropped too: it is written by controllers through the status
// subresource, server-side apply of the main resource ignores it, and the
// tool never manages it. Showing it would report "changes" that apply cannot
// make (and a dry-run result carries the live status anyway).
func Normalize(obj *unstructured.Unstructured) *unstructured.Unstructured {
	if obj == nil {
		return nil
	}
	out := obj.DeepCopy()
	if out.Object == nil {
		return out
	}
	delete(out.Object, "status")
	meta, ok := out.Object["metadata"].(map[string]interface{})
	if !ok {
		return out
	}
	for _, f := range serverMetadata {
		delete(meta, f)
	}
	dropLastApplied(meta)
	return out
}

// dropLastApplied removes the client-side apply annotation, and the
// annotations map when nothing else is left in it, so that an object whose
// only annotation was this one diffs equal to one that never had it.
func dropLastApplied(meta map[string]interface{}) {
	ann, ok := meta["annotations"].(map[string]interface{})
	if !ok {
		return
	}
	delete(ann, LastAppliedAnnotation)
	if len(ann) == 0 {
		delete(meta, "annotations")
	}
}
