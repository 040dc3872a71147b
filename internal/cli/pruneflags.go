package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
)

// bindPruneGuards binds the overrides of the prune guards, which plan and
// apply share: a plan shows the refusal that apply --prune would meet.
func bindPruneGuards(cmd *cobra.Command, allowEmpty *bool, threshold *int) {
	cmd.Flags().BoolVar(allowEmpty, "allow-empty", false, "let --prune delete every member of the ApplySet when the inputs render no objects (refused without it)")
	cmd.Flags().IntVar(threshold, "prune-threshold", cluster.DefaultPruneThreshold,
		"refuse a prune that deletes more than this percentage of the ApplySet's members (when it deletes at least 5); 100 allows any prune")
}

// pruneGuard checks the flags and turns them into the cluster's guard
// (a threshold of 0, as in Options built without flags, is the default).
func pruneGuard(allowEmpty bool, threshold int) (cluster.PruneGuard, error) {
	if threshold < 0 || threshold > 100 {
		return cluster.PruneGuard{}, fmt.Errorf("--prune-threshold %d: use a percentage from 1 to 100 (100 allows any prune)", threshold)
	}
	return cluster.PruneGuard{AllowEmpty: allowEmpty, Threshold: threshold}, nil
}
