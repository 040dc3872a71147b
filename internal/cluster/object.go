package cluster

import (
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/order"
)

// Object is one desired object and where it comes from (file:line, or empty
// for an object expanded without a position).
type Object struct {
	*unstructured.Unstructured
	Source string
}

// Ref names an object as plans and errors do.
func Ref(u *unstructured.Unstructured) object.Ref {
	return object.New(u.GetAPIVersion(), u.GetKind(), u.GetNamespace(), u.GetName())
}

// groups sorts objs into apply order (internal/order, the same order render
// writes) and cuts them where the stage changes (order.Stage): the objects of
// one group do not depend on each other and are sent concurrently; a group
// starts only when the one before it is done.
func groups(objs []Object) [][]Object {
	sorted := append([]Object(nil), objs...)
	sort.SliceStable(sorted, func(i, j int) bool { return order.Less(Ref(sorted[i].Unstructured), Ref(sorted[j].Unstructured)) })
	var out [][]Object
	for i, o := range sorted {
		if i == 0 || stageOf(sorted[i-1]) != stageOf(o) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], o)
	}
	return out
}

func stageOf(o Object) int { r := Ref(o.Unstructured); return order.Stage(r.Group, r.Kind) }
