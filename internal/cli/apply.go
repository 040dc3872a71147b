package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fatih/color"
	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/version"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// ApplyOptions are the inputs of `apply`.
type ApplyOptions struct {
	IO             genericiooptions.IOStreams
	Cluster        ClusterFlags
	Paths          []string
	ForceConflicts bool
	DryRun         string
	ApplySet       string
	Prune          bool
	AllowEmpty     bool
	PruneThreshold int
	Recreate       bool
	Wait           bool
	Timeout        time.Duration
	TakeOver       bool
}

var _ = register(NewApplyCmd)

// NewApplyCmd builds `kubectl mgi apply`.
func NewApplyCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newApplyCmd(streams, runApply)
}

// newApplyCmd binds the flags into ApplyOptions and hands them to runF: runApply
// in the binary, a function that captures the options in flag tests.
func newApplyCmd(streams genericiooptions.IOStreams, runF func(context.Context, *ApplyOptions) error) *cobra.Command {
	o := &ApplyOptions{IO: streams, Cluster: newClusterFlags(), DryRun: "none", Timeout: cluster.DefaultWaitOptions().Timeout}
	cmd := &cobra.Command{
		Use:   "apply DIR|FILE|- ... | -k DIR",
		Short: "Apply the rendered objects with server-side apply, in dependency order",
		Long: `apply renders the inputs and applies every object with server-side apply under the
tool's field manager (kubectl-mgi), in dependency order: Namespaces, CRDs (waited
for until Established), ServiceAccounts, config and RBAC, Meshes, then
MeshGateways, Services and Deployments together, then the rest. It prints one
line per object:
created, configured or unchanged, as kubectl apply does (and pruned, recreated,
taken over).

Nothing is applied when any input is invalid. A field that another field manager
owns is a conflict: apply stops and names the field and its owner, unless
--force-conflicts. Objects last written by client-side 'kubectl apply' are
migrated to server-side ownership first, so a field removed from the directory is
removed from the cluster. If an object fails, apply stops and says which objects
were applied and which were not; running it again converges.

With --applyset NAME every object is applied as a member of an ApplySet (the
convention kubectl uses: a parent Secret NAME, or secrets/NAME or configmaps/NAME,
in the namespace of -n, and an applyset.kubernetes.io/part-of label on every
member). With --prune, members of that ApplySet that are no longer in the inputs
are deleted after the apply succeeded; nothing outside the ApplySet is ever
deleted. A prune is refused (nothing deleted) when the inputs render no objects
(unless --allow-empty) or when it would delete more than --prune-threshold
percent of the set's members (and at least 5); the Namespace of the parent and
objects annotated kubectl-mgi.kuma.io/prune=disabled are never pruned, and an
object that is a member of another ApplySet is refused, never adopted. The
parent is written before any member, after the Namespaces of the inputs when
they create its namespace.

A change the server cannot make in place (an immutable field: a ConfigMap or
Secret with immutable: true, a Service's clusterIP, a Deployment's selector;
plan shows it as replace) is refused before anything is written, unless
--recreate: then exactly those objects are deleted, their deletion waited for,
and created again (printed as recreated). With --wait, apply then waits until every applied object is ready
(kstatus: rolled out Deployments, Established CRDs, ...), printing progress on
standard error, and fails after --timeout naming the objects not ready.

Before anything is written, every object is sent as a server-side dry-run, all
at once: when the server refuses any of them (a conflict, an invalid field, a
missing permission), apply lists every refusal with its reason and changes
nothing. Objects the dry-run shows unchanged are not sent again.

--timeout bounds the whole apply (reads, dry-run, apply, prune and --wait);
--request-timeout (default 30s, 0 for none) bounds each request. Reads,
dry-runs and server-side apply requests are retried a few times on 429, 5xx
and dropped connections (docs/cluster.md). When the answer to an applied
object is lost, the object is read again and reported by what the server
holds. Interrupting apply (Ctrl-C) stops sending; the report says what was
applied and what was not.

With -k DIR the kustomization in DIR is built in-process with kustomize's API
(no plugins, as kubectl apply -k) and the result is expanded; kubectl-mgi's own
function listed in it is taken out of the build and its config used. See
docs/kustomize.md.

A MeshGatewayInstance of the inputs that is live in the cluster means Kuma's
controller runs that gateway: apply stops before writing anything. With
--take-over it moves the gateway to kubectl-mgi instead, in an order that never
deletes it: ownership of the rendered fields from Kuma's manager (kuma-cp), then
the ownerReference to the instance, then the instance, deleted with
propagationPolicy Orphan (docs/takeover.md).` + kumaVersionHelp + clusterVersionHelp,
		Example: `  # Apply a directory
  kubectl mgi apply ./gateways

  # Apply only the objects labelled tier=web (not with --applyset or --prune)
  kubectl mgi apply ./gateways -l tier=web

  # Apply a kustomize overlay, as kubectl apply -k would, expanded
  kubectl mgi apply -k overlays/prod

  # Ask the server to check everything without persisting anything
  kubectl mgi apply ./gateways --dry-run=server

  # Take ownership of fields another manager (say kuma-cp) set
  kubectl mgi apply ./gateways --force-conflicts

  # Move gateways that Kuma's controller runs to kubectl-mgi, without downtime
  kubectl mgi apply ./gateways --take-over

  # Delete what was removed from the directory, then wait for the rollout
  kubectl mgi apply ./gateways -n kuma-gateways --prune --applyset gateways --wait --timeout 10m

  # A Deployment's selector changed: delete and create it again
  kubectl mgi apply ./gateways --recreate

  # A deliberate large clean-up: allow the prune to delete most of the set
  kubectl mgi apply ./gateways -n kuma-gateways --prune --applyset gateways --prune-threshold 100`,
		Args: inputArgs(&o.Cluster.Kustomization),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			if o.Timeout <= 0 {
				return timeoutFlagError(o.Timeout)
			}
			return runF(cmd.Context(), o)
		},
	}
	o.Cluster.bind(cmd)
	cmd.Flags().BoolVar(&o.ForceConflicts, "force-conflicts", false, "take ownership of fields that other field managers own")
	cmd.Flags().StringVar(&o.DryRun, "dry-run", o.DryRun, `"server" to send every request as a server-side dry-run, "none" to apply`)
	cmd.Flags().StringVar(&o.ApplySet, "applyset", "", "ApplySet parent (NAME for a Secret, secrets/NAME or configmaps/NAME, in the namespace of -n); objects are applied as its members")
	cmd.Flags().BoolVar(&o.Prune, "prune", false, "delete the members of --applyset that are no longer in the inputs (needs --applyset)")
	cmd.Flags().BoolVar(&o.TakeOver, "take-over", false, "take over from Kuma's controller the gateways whose MeshGatewayInstance is live: own the rendered fields, drop the ownerReference, delete the instance with orphan propagation")
	bindPruneGuards(cmd, &o.AllowEmpty, &o.PruneThreshold)
	cmd.Flags().BoolVar(&o.Recreate, "recreate", false, "delete and create again the objects whose change the server cannot make in place (immutable fields; plan shows them as replace); without it apply refuses them before changing anything")
	cmd.Flags().BoolVar(&o.Wait, "wait", false, "after applying (and pruning), wait until every applied object is ready")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", o.Timeout, "the most time the whole apply may take, --wait included (above 0)")
	return cmd
}

func runApply(ctx context.Context, o *ApplyOptions) error {
	if o.DryRun != "none" && o.DryRun != "server" {
		return fmt.Errorf("--dry-run %q is not supported; use server or none (client-side dry-run cannot show server-side apply results)", o.DryRun)
	}
	if o.Timeout < 0 {
		return timeoutFlagError(o.Timeout)
	}
	color, err := colorEnabled(o.Cluster.Color, o.IO.Out, o.Cluster.Getenv)
	if err != nil {
		return err
	}
	if o.Timeout == 0 {
		// Options built without flags (tests, callers) get the default.
		o.Timeout = cluster.DefaultWaitOptions().Timeout
	}
	ctx, cancel := cluster.WithTimeout(ctx, o.Timeout)
	defer cancel()
	o.Cluster.applySet = &o.ApplySet
	o.Cluster.needs = func() cluster.Needs {
		return cluster.Needs{Apply: true, ApplySet: o.ApplySet, Prune: o.Prune, TakeOver: o.TakeOver}
	}
	if o.Prune {
		o.Cluster.needSet = "--prune needs --applyset NAME (or spec.applySet in the directory's ControlPlaneConfig): pruning deletes only members of a named ApplySet"
	}
	c, state, err := o.Cluster.desired(ctx, o.IO, o.Paths)
	if err != nil {
		return err
	}
	objs := state.Objects
	opts := cluster.DefaultApplyOptions()
	opts.FieldManager, opts.Force, opts.DryRun = o.Cluster.FieldManager, o.ForceConflicts, o.DryRun == "server"
	opts.Recreate = o.Recreate
	opts.ApplySet, opts.Prune, opts.ToolVersion = o.ApplySet, o.Prune, version.Get().Version
	if opts.PruneGuard, err = pruneGuard(o.AllowEmpty, o.PruneThreshold); err != nil {
		return err
	}
	opts.Wait, opts.WaitOptions.Timeout = o.Wait, o.Timeout
	opts.Instances, opts.TakeOver = state.Instances, o.TakeOver
	opts.Ignore = state.Ignore
	opts.WaitOptions.Progress = func(line string) { fmt.Fprintln(o.IO.ErrOut, "waiting: "+line) }
	if o.Wait && opts.DryRun {
		fmt.Fprintln(o.IO.ErrOut, "--wait is skipped with --dry-run=server: nothing was changed to wait for")
	}
	res, err := c.Apply(ctx, objs, opts)
	if res != nil {
		printApplied(o.IO.Out, res, color)
	}
	var notReady *cluster.NotReadyError
	if errors.As(err, &notReady) {
		// Everything was applied; the message says what is not ready.
		return err
	}
	if err != nil {
		if ctx.Err() != nil && !errors.As(err, new(*cluster.TimeoutError)) && !errors.Is(err, cluster.ErrInterrupted) {
			err = fmt.Errorf("%w: %v", cluster.StopCause(ctx), err)
		}
		return applyFailure(res, err)
	}
	return nil
}

// printApplied writes one line per object, as kubectl does, in the plan's
// words (plan.Action.Done); with color, the word is colored as plan colors
// its headers.
func printApplied(w io.Writer, res *cluster.ApplyResult, useColor bool) {
	suffix := ""
	if res.DryRun {
		suffix = " (server dry run)"
	}
	for _, a := range append(append(append([]cluster.Applied(nil), res.Applied...), res.TakenOver...), res.Pruned...) {
		line := fmt.Sprintf("%s %s%s", a.Object, diff.Switch(color.New(a.Action.Color()), useColor).Sprint(a.Action.Done()), suffix)
		if a.Note != "" {
			line += " (" + a.Note + ")"
		}
		fmt.Fprintln(w, line)
	}
	for _, k := range res.Kept {
		fmt.Fprintf(w, "%s kept, not pruned%s (%s)\n", k.Object, suffix, k.Why)
	}
}

// applyFailure says what was and was not applied, so a person knows the
// state the cluster is in and that running apply again is safe.
func applyFailure(res *cluster.ApplyResult, err error) error {
	if res == nil {
		return err
	}
	var b strings.Builder
	if errors.As(err, new(*cluster.NothingAppliedError)) {
		b.WriteString("Nothing was applied: the server's dry-run refused the objects above, so the cluster is unchanged. Fix them and run apply again.")
		return fmt.Errorf("%w\n%s", err, b.String())
	}
	fmt.Fprintf(&b, "%d %s applied (listed above)", len(res.Applied), pluralWord(len(res.Applied), "object was", "objects were"))
	if n := len(res.NotApplied); n > 0 {
		fmt.Fprintf(&b, "; %d %s not applied:", n, pluralWord(n, "was", "were"))
		for _, o := range res.NotApplied {
			fmt.Fprintf(&b, "\n  %s", cluster.Ref(o.Unstructured))
		}
	}
	if n := len(res.Unknown); n > 0 {
		fmt.Fprintf(&b, "\n%d may or may not have been applied (sent, but no answer came):", n)
		for _, o := range res.Unknown {
			fmt.Fprintf(&b, "\n  %s", cluster.Ref(o.Unstructured))
		}
	}
	b.WriteString("\nFix the cause and run apply again: objects already applied are left as they are.")
	// %w keeps the cause reachable (errors.As finds a conflict or an API
	// status in it); the text is the cause and then what was applied.
	return fmt.Errorf("%w\n%s", err, b.String())
}

// timeoutFlagError refuses a --timeout that would either stop at once or,
// as it once did, silently mean the default.
func timeoutFlagError(d time.Duration) error {
	return fmt.Errorf("--timeout %s: must be above 0 (say --timeout 5m)", d)
}
