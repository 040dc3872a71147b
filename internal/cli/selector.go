package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
)

// bindSelector adds kubectl's -l/--selector.
func bindSelector(cmd *cobra.Command, s *string) {
	cmd.Flags().StringVarP(s, "selector", "l", "", "only the rendered objects whose labels match this selector, as kubectl's (=, ==, !=, in, notin, exists); not with an ApplySet")
}

// parseSelector reads --selector; an empty one selects everything.
func parseSelector(s string) (labels.Selector, error) {
	if s == "" {
		return labels.Everything(), nil
	}
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("--selector %q: %w; write it as kubectl does, for example -l app=edge,tier!=test", s, err)
	}
	return sel, nil
}

// errSelectorWithApplySet is kubectl's rule too: an ApplySet's members are
// the whole set, so a selector would make every unselected member look
// like one to prune (or, in a plan, to delete).
var errSelectorWithApplySet = errors.New("--selector cannot be used with an ApplySet (--applyset or spec.applySet): pruning and membership need every object of the set; drop -l, or plan and apply without the ApplySet")

// selectObjects keeps the objects whose labels match sel, and the
// instances whose generated Deployment or Service is kept (a take-over is
// about those objects).
func selectObjects(sel labels.Selector, st desiredState) desiredState {
	if sel.Empty() {
		return st
	}
	kept := st.Objects[:0:0]
	gen := map[[2]string]bool{}
	for _, o := range st.Objects {
		if !sel.Matches(labels.Set(o.GetLabels())) {
			continue
		}
		kept = append(kept, o)
		if k := o.GetKind(); k == "Deployment" || k == "Service" {
			gen[[2]string{o.GetNamespace(), o.GetName()}] = true
		}
	}
	insts := []cluster.Instance{}
	for _, in := range st.Instances {
		if gen[[2]string{in.Namespace, in.Name}] {
			insts = append(insts, in)
		}
	}
	st.Objects, st.Instances = kept, insts
	return st
}
