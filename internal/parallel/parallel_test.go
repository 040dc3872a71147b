package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestRunCallsEveryIndexOnceWithinTheLimit(t *testing.T) {
	const n, limit = 200, 3
	var running, peak atomic.Int32
	calls := make([]atomic.Int32, n)
	errs := Run(context.Background(), n, limit, func(_ context.Context, i int) error {
		r := running.Add(1)
		for {
			p := peak.Load()
			if r <= p || peak.CompareAndSwap(p, r) {
				break
			}
		}
		calls[i].Add(1)
		running.Add(-1)
		if i%7 == 0 {
			return errors.New("seven")
		}
		return nil
	})
	for i := range n {
		if c := calls[i].Load(); c != 1 {
			t.Fatalf("index %d called %d times", i, c)
		}
		if (errs[i] != nil) != (i%7 == 0) {
			t.Fatalf("error at %d: %v", i, errs[i])
		}
	}
	if p := peak.Load(); p > limit {
		t.Errorf("%d calls at once, limit %d", p, limit)
	}
}

func TestRunStopsStartingWhenTheContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	errs := Run(ctx, 10, 1, func(_ context.Context, i int) error {
		if i == 3 {
			cancel()
		}
		return nil
	})
	for i, err := range errs {
		if want := i > 3; (err != nil) != want || (want && !errors.Is(err, context.Canceled)) {
			t.Errorf("index %d: %v", i, err)
		}
	}
}

func TestEachOnNothing(t *testing.T) {
	Each(0, func(int) { t.Fatal("called") })
}
