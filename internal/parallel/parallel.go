// Package parallel is the one worker pool: reading files, validating and
// expanding objects, writing YAML and talking to the API server all fan out
// through it. Results are kept by index, so output never depends on
// scheduling.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Run calls fn(ctx, i) for every i in [0, n) on at most limit goroutines
// (limit < 1 means GOMAXPROCS) and returns each call's error at its index.
// Once ctx is done no further call starts; those not started get ctx.Err().
// fn must only write what belongs to its own i.
func Run(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) []error {
	errs := make([]error, n)
	if limit < 1 {
		limit = runtime.GOMAXPROCS(0)
	}
	limit = min(limit, n)
	call := func(i int) {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			return
		}
		errs[i] = fn(ctx, i)
	}
	if limit <= 1 {
		for i := range n {
			call(i)
		}
		return errs
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range limit {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				call(i)
			}
		})
	}
	wg.Wait()
	return errs
}

// Each calls fn(i) for every i in [0, n) on all cores: Run for work that
// cannot fail and needs no context.
func Each(n int, fn func(i int)) {
	Run(context.Background(), n, 0, func(_ context.Context, i int) error {
		fn(i)
		return nil
	})
}
