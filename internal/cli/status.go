package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
)

// StatusOptions are the inputs of `status`.
type StatusOptions struct {
	IO      genericiooptions.IOStreams
	Cluster ClusterFlags
	Paths   []string
	// Output is -o: text or json.
	Output string
	// Watch follows the status (--watch) until Timeout or an interrupt.
	Watch bool
	// Interval is how often --watch reads the cluster again.
	Interval time.Duration
	// Timeout ends --watch after this long; 0 follows until interrupted.
	Timeout time.Duration
}

var _ = register(NewStatusCmd)

// NewStatusCmd builds `kubectl mgi status`.
func NewStatusCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newStatusCmd(streams, runStatus)
}

// DefaultStatusInterval is how often status --watch reads the cluster.
const DefaultStatusInterval = 2 * time.Second

// newStatusCmd binds the flags into StatusOptions and hands them to runF.
func newStatusCmd(streams genericiooptions.IOStreams, runF func(context.Context, *StatusOptions) error) *cobra.Command {
	o := &StatusOptions{IO: streams, Cluster: newClusterFlags(), Output: "text", Interval: DefaultStatusInterval}
	cmd := &cobra.Command{
		Use:   "status DIR|FILE|- ... | -k DIR",
		Short: "Show the status Kuma would write on each MeshGatewayInstance, from the live Deployment and Service",
		Long: `status reads the inputs, matches each MeshGatewayInstance to its MeshGateway
(the directory's and the cluster's, as plan does), reads the instance's live
Deployment and Service, and computes the status Kuma's controller would write
on the instance: the Ready condition and the Service's load-balancer addresses.
It prints one row per instance. Nothing in the cluster changes.

Ready is computed as Kuma's controller computes it:
  False, NoGatewayMatched            no MeshGateway matches the instance's tags
  False, DeploymentNotAvailable      the Deployment's Available condition is False
  Unknown, DeploymentNotAvailable    ... is Unknown
  True, Ready                        ClusterIP or NodePort Service with a cluster IP,
                                     LoadBalancer Service with an ingress address
  False, LoadBalancerAddressNotReady a LoadBalancer Service without one yet
and, the tool's own (Kuma's controller creates the objects first):
  False, NotApplied                  the Deployment or Service does not exist yet

-l keeps the instances whose rendered Deployment or Service it matches (as for
plan). -o json prints the statuses as data ({"instances": [...]}, each with
Kuma's status block). --watch prints the table (or the JSON document) again
whenever a status changes, reading every --interval, until --timeout or an
interrupt (Ctrl-C), which end it with exit status 0.

Exit status: 0 (whatever the instances' readiness), 1 on error.` + kumaVersionHelp,
		Example: `  # Are the gateways ready, and at which addresses?
  kubectl mgi status ./gateways

  # The same for a kustomize overlay
  kubectl mgi status -k overlays/prod

  # Follow a rollout for at most five minutes
  kubectl mgi status ./gateways --watch --timeout 5m

  # Only the gateways whose Service is labelled tier=web, as JSON
  kubectl mgi status ./gateways -l tier=web -o json | jq '.instances[].status.loadBalancer'`,
		Args: inputArgs(&o.Cluster.Kustomization),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runF(cmd.Context(), o)
		},
	}
	o.Cluster.bindReading(cmd)
	cmd.Flags().StringVarP(&o.Output, "output", "o", o.Output, "output format: text or json")
	cmd.Flags().BoolVarP(&o.Watch, "watch", "w", false, "after the first table, print it again whenever a status changes, until --timeout or an interrupt")
	cmd.Flags().DurationVar(&o.Interval, "interval", o.Interval, "--watch: how often to read the cluster again")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 0, "--watch: stop following after this long (0: until interrupted)")
	return cmd
}

func runStatus(ctx context.Context, o *StatusOptions) error {
	p, err := newStatusPrinter(o.Output, o.IO.Out)
	if err != nil {
		return err
	}
	if o.Watch && o.Interval <= 0 {
		return fmt.Errorf("--interval %s: must be more than 0", o.Interval)
	}
	if o.Timeout < 0 {
		return fmt.Errorf("--timeout %s: must not be negative (0 follows until interrupted)", o.Timeout)
	}
	// Findings are the expansion's business, not the status's: an
	// instance that matched no gateway is a row, not an error.
	o.Cluster.findingsInPlan = true
	c, state, err := o.Cluster.desired(ctx, o.IO, o.Paths)
	if err != nil {
		return err
	}
	if len(state.Instances) == 0 {
		fmt.Fprintln(o.IO.ErrOut, "No MeshGatewayInstances in the inputs (or none selected by -l).")
	}
	sts, err := c.Status(ctx, state.Instances)
	if err != nil {
		return err
	}
	if err := p.print(sts, nil); err != nil {
		return err
	}
	if !o.Watch {
		return nil
	}
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	return follow(ctx, o.Interval, sts, func(ctx context.Context) ([]cluster.InstanceStatus, error) {
		return c.Status(ctx, state.Instances)
	}, p)
}

// follow reads the statuses every interval and prints them when one
// changed, until ctx ends (--timeout or an interrupt: the normal end of a
// watch, so no error). Each read is bounded by --request-timeout.
func follow(ctx context.Context, interval time.Duration, prev []cluster.InstanceStatus, read func(context.Context) ([]cluster.InstanceStatus, error), p *statusPrinter) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		next, err := read(ctx)
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			// The read was cut short by --timeout (or an interrupt).
			return nil
		}
		if err != nil {
			return err
		}
		if err := p.print(next, prev); err != nil {
			return err
		}
		prev = next
	}
}
