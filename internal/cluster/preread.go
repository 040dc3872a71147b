package cluster

import (
	"context"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
)

// preread is what plan and apply read before the dry-run pass: the
// directory's instances that are live (takeover.go), the ApplySet's parent
// (applyset_run.go) and the autoscalers that own replicas (leftout_hpa.go).
// None needs another, so they are read concurrently, one round trip instead
// of three in sequence; each keeps its own error, which the caller checks
// in its own order.
type preread struct {
	tos          []takeover
	instancesErr error
	// sr is the run's ApplySet (nil without one) and objs the objects
	// labelled as its members (the objects themselves without a set).
	sr       *setRun
	objs     []Object
	setErr   error
	leave    *leaveRules
	leaveErr error
}

func (c *Client) preread(ctx context.Context, objs []Object, instances []Instance, applySet string, ignore []config.IgnoreRule) *preread {
	p := &preread{objs: objs}
	forEach(ctx, 3, 3, func(ctx context.Context, i int) error {
		switch i {
		case 0:
			p.tos, p.instancesErr = c.liveInstances(ctx, instances, objs)
		case 1:
			if applySet != "" {
				p.sr, p.objs, p.setErr = c.openSet(ctx, applySet, objs)
			}
		case 2:
			p.leave, p.leaveErr = c.leaveRules(ctx, objs, ignore)
		}
		return nil
	})
	if err := ctx.Err(); err != nil {
		// Interrupted before a read began: it has no error of its own.
		for _, e := range []*error{&p.instancesErr, &p.setErr, &p.leaveErr} {
			if *e == nil {
				*e = err
			}
		}
	}
	return p
}
