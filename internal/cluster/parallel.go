package cluster

import (
	"context"

	"github.com/kubectl-mgi/kubectl-mgi/internal/parallel"
)

// forEach calls fn for 0..n-1 with at most limit calls at a time and returns
// each call's error at its index, so callers report errors in input order
// whatever order the calls finished in. It is the project's one worker pool
// (internal/parallel) with the cluster's default of one call at a time.
func forEach(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) []error {
	return parallel.Run(ctx, n, max(limit, 1), fn)
}
