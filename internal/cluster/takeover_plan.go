package cluster

import (
	"fmt"
	"reflect"
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// maxPodTemplateFields bounds the fields a take-over change lists.
const maxPodTemplateFields = 20

// liveInstanceConflicts are the plan's entries for live instances without
// --take-over: a conflict each, naming the instance and the fix.
func liveInstanceConflicts(tos []takeover) []plan.Change {
	out := make([]plan.Change, 0, len(tos))
	for _, t := range tos {
		out = append(out, plan.Change{Action: plan.Conflict, Object: t.ref(), Source: t.inst.Source, Note: liveInstanceNote(t)})
	}
	return out
}

// takeOverChanges are the take-over entries, one per instance, with whether
// the Deployment's pods restart: they do when the pod template the apply
// leaves (the dry-run's result) differs from the live one.
func takeOverChanges(tos []takeover, done []outcome) []plan.Change {
	out := make([]plan.Change, 0, len(tos))
	for _, t := range tos {
		info := &plan.TakeOverInfo{Objects: t.objects}
		for _, o := range done {
			if o.ref.Group != deploymentKind.Group || o.ref.Kind != deploymentKind.Kind || !generatedBy(o.obj, t.inst, o.ref.Namespace) {
				continue
			}
			info.PodTemplateFields = podTemplateDiff(o.live, o.result)
			info.RestartsPods = len(info.PodTemplateFields) > 0
		}
		out = append(out, plan.Change{Action: plan.TakeOver, Object: t.ref(), Source: t.inst.Source, TakeOver: info})
	}
	return out
}

// podTemplateDiff lists the paths below spec.template where before and
// after differ; nil when either is missing (nothing to restart).
func podTemplateDiff(before, after *unstructured.Unstructured) []string {
	if before == nil || after == nil {
		return nil
	}
	b, _, _ := unstructured.NestedFieldNoCopy(before.Object, "spec", "template")
	a, _, _ := unstructured.NestedFieldNoCopy(after.Object, "spec", "template")
	var paths []string
	diffPaths(b, a, "spec.template", &paths)
	if len(paths) > maxPodTemplateFields {
		paths = append(paths[:maxPodTemplateFields], fmt.Sprintf("and %d more", len(paths)-maxPodTemplateFields))
	}
	return paths
}

// diffPaths appends the paths where a and b differ: map keys as .key, list
// items with a name as [name=x], other items by index.
func diffPaths(a, b interface{}, path string, out *[]string) {
	if reflect.DeepEqual(a, b) {
		return
	}
	am, aok := a.(map[string]interface{})
	bm, bok := b.(map[string]interface{})
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			diffPaths(am[k], bm[k], path+"."+k, out)
		}
		return
	}
	al, aok := a.([]interface{})
	bl, bok := b.([]interface{})
	if aok && bok && len(al) == len(bl) {
		for i := range al {
			diffPaths(al[i], bl[i], path+itemLabel(al[i], i), out)
		}
		return
	}
	*out = append(*out, path)
}

func itemLabel(item interface{}, i int) string {
	if m, ok := item.(map[string]interface{}); ok {
		if n, ok := m["name"].(string); ok {
			return "[name=" + n + "]"
		}
	}
	return fmt.Sprintf("[%d]", i)
}
