package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// PlanOptions are the inputs of `plan`.
type PlanOptions struct {
	IO              genericiooptions.IOStreams
	Cluster         ClusterFlags
	Paths           []string
	Output          string
	OutFile         string
	JSONOutFile     string
	DetailedExit    bool
	ShowSecrets     bool
	MarkdownMaxSize int
	Title           string
	ApplySet        string
	// Commit is named in the Markdown comment (--commit).
	Commit string
	// Now is a test seam for the time the Markdown comment states.
	Now            func() time.Time
	TakeOver       bool
	AllowEmpty     bool
	PruneThreshold int
	// DiffStyle is --diff-style (full or compact), DiffContext
	// --diff-context.
	DiffStyle   string
	DiffContext int
	// IncludeObjects adds the live and desired objects to the JSON
	// document (-o json, --json-out).
	IncludeObjects bool
}

var _ = register(NewPlanCmd)

// NewPlanCmd builds `kubectl mgi plan`.
func NewPlanCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newPlanCmd(streams, runPlan)
}

// newPlanCmd binds the flags into PlanOptions and hands them to runF: runPlan
// in the binary, a function that captures the options in flag tests.
func newPlanCmd(streams genericiooptions.IOStreams, runF func(context.Context, *PlanOptions) error) *cobra.Command {
	o := &PlanOptions{IO: streams, Cluster: newClusterFlags(), Now: time.Now}
	cmd := &cobra.Command{
		Use:   "plan DIR|FILE|- ... | -k DIR",
		Short: "Show what apply would change in the cluster, computed by server-side dry-run",
		Long: `plan renders the inputs, then asks the API server what applying each object would
do: a server-side apply dry-run under the tool's field manager beside a read of the
live object. It prints one summary line and a diff per object that would be
created, updated or deleted, and the fields another field manager owns
(conflicts), with who owns them and the diff --force-conflicts would apply.
Nothing in the cluster changes. With --applyset NAME, the members of that
ApplySet that are no longer in the inputs are shown as deletions (what
apply --prune --applyset NAME deletes).

A MeshGatewayInstance of the inputs that is live in the cluster (Kuma's
controller runs it) is a conflict, and its objects are not planned; with
--take-over, a take-over per instance, saying whether the pods restart and
which pod-template fields differ, beside its objects as the takeover leaves them.

Diffs are unified diffs with --diff-context lines (default 3) around each
change. --diff-style compact shows a create or a delete as one line with the
object's key fields (replicas and image of a Deployment, type and ports of a
Service, the keys of a ConfigMap or Secret) and its size instead of the whole
object; updates keep their hunks.

KUBECTL_EXTERNAL_DIFF names your own diff program, as for kubectl diff: the
text output leaves the diffs out, and the program is run once on two
directories (LIVE-*, MERGED-*) holding one file per object named as kubectl
names it (apps.v1.Deployment.shop.edge). Only words of letters, digits, '-'
and '=' are passed to it; exit status 0 and 1 are success, above 1 an error.
JSON and Markdown output ignore it.

-o json --include-objects adds each object's live and desired state (as the
diff compares them) to the document; see docs/plan-output.md.

Secret data is masked unless --show-secrets. Objects in a namespace that the
inputs create, and objects of a kind whose CRD the inputs define, are shown as
creates: the server cannot dry-run them yet.

Exit status: 0, or 1 on error. With --detailed-exitcode: 0 when nothing would
change, 2 when something would, 1 on error.

With -k DIR the kustomization in DIR is built in-process with kustomize's API
(no plugins, as kubectl apply -k) and the result is expanded; kubectl-mgi's own
function listed in it is taken out of the build and its config used. See
docs/kustomize.md.` + kumaVersionHelp + clusterVersionHelp,
		Example: `  # What would change?
  kubectl mgi plan ./gateways

  # What would applying a kustomize overlay change?
  kubectl mgi plan -k overlays/prod

  # In CI: a comment for the pull request, and exit 2 when there are changes
  kubectl mgi plan ./gateways -o markdown --out plan.md --detailed-exitcode --commit "$(git rev-parse HEAD)"

  # Before moving gateways off Kuma's controller: do the pods restart?
  kubectl mgi plan ./gateways --take-over

  # Preview a Kuma upgrade: what changes when the control plane moves to 2.14
  kubectl mgi plan ./gateways --kuma-version 2.14

  # Only the objects labelled tier=web (as kubectl's -l; not with an ApplySet)
  kubectl mgi plan ./gateways -l tier=web

  # Against another context, as JSON
  kubectl mgi plan ./gateways --context prod -o json

  # Creates and deletes as one line each, one line of context around changes
  kubectl mgi plan ./gateways --diff-style compact --diff-context 1

  # Your own diff program, as with kubectl diff
  KUBECTL_EXTERNAL_DIFF="diff -u --color=always" kubectl mgi plan ./gateways

  # For scripts: the live and desired objects beside each diff
  kubectl mgi plan ./gateways -o json --include-objects | jq '.changes[].desired.spec'`,
		Args: inputArgs(&o.Cluster.Kustomization),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runF(cmd.Context(), o)
		},
	}
	o.Cluster.bind(cmd)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "text", "output format: text, json or markdown")
	cmd.Flags().StringVar(&o.OutFile, "out", "", "write the plan to this file instead of standard output")
	cmd.Flags().StringVar(&o.JSONOutFile, "json-out", "", "also write the plan as JSON to this file (CI reads counts from it while posting the Markdown)")
	cmd.Flags().BoolVar(&o.DetailedExit, "detailed-exitcode", false, "exit 2 when the cluster would change, 0 when not")
	cmd.Flags().BoolVar(&o.ShowSecrets, "show-secrets", false, "show Secret data in diffs instead of masking it")
	cmd.Flags().IntVar(&o.MarkdownMaxSize, "max-size", plan.DefaultMarkdownMaxBytes, "markdown output: the size cap in bytes (a pull-request comment holds at most 65536)")
	cmd.Flags().StringVar(&o.Title, "title", "", "markdown output: the heading (default \"kubectl mgi plan\")")
	cmd.Flags().StringVar(&o.Commit, "commit", "", "markdown output: the commit planned, named under the heading (CI passes the pull request's head SHA)")
	cmd.Flags().BoolVar(&o.TakeOver, "take-over", false, "plan taking over from Kuma's controller the gateways whose MeshGatewayInstance is live in the cluster (see apply --take-over)")
	cmd.Flags().StringVar(&o.DiffStyle, "diff-style", string(plan.DiffFull), "text and markdown output: full shows a create or a delete as the whole object, compact as one line with its key fields (updates show their hunks in both)")
	cmd.Flags().IntVar(&o.DiffContext, "diff-context", diff.DefaultContext, "unchanged lines shown around each change in a diff (as diff -U N)")
	cmd.Flags().BoolVar(&o.IncludeObjects, "include-objects", false, "JSON output: add each object's live and desired state (normalised, Secret data masked unless --show-secrets) beside its diff")
	cmd.Flags().StringVar(&o.ApplySet, "applyset", "", "ApplySet parent as for apply; its members no longer in the inputs are shown as deletions (what apply --prune does)")
	bindPruneGuards(cmd, &o.AllowEmpty, &o.PruneThreshold)
	return cmd
}

func runPlan(ctx context.Context, o *PlanOptions) error {
	printer, err := o.printer(ctx)
	if err != nil {
		return err
	}
	o.Cluster.findingsInPlan = true
	o.Cluster.applySet = &o.ApplySet
	o.Cluster.needs = func() cluster.Needs { return cluster.Needs{ApplySet: o.ApplySet} }
	c, state, err := o.Cluster.desired(ctx, o.IO, o.Paths)
	if err != nil {
		return err
	}
	opts := cluster.DefaultPlanOptions()
	opts.FieldManager, opts.ShowSecrets, opts.ApplySet = o.Cluster.FieldManager, o.ShowSecrets, o.ApplySet
	opts.Instances, opts.TakeOver = state.Instances, o.TakeOver
	opts.DiffContext, opts.KeepObjects = o.DiffContext, o.IncludeObjects
	opts.Ignore = state.Ignore
	if opts.PruneGuard, err = pruneGuard(o.AllowEmpty, o.PruneThreshold); err != nil {
		return err
	}
	p, err := c.Plan(ctx, state.Objects, opts)
	if err != nil {
		return err
	}
	p.Findings = append(append(finding.List(nil), state.Findings...), p.Findings...)
	if err := o.write(printer, p); err != nil {
		return err
	}
	return exitWith(result{plan: p, detailed: o.DetailedExit})
}

// printer checks the output flags (before any input is read) and returns
// the function that prints the plan in the chosen format.
func (o *PlanOptions) printer(ctx context.Context) (func(io.Writer, *plan.Plan) error, error) {
	style, err := plan.ParseDiffStyle(o.DiffStyle)
	if err != nil {
		return nil, err
	}
	if o.DiffContext < 0 {
		return nil, fmt.Errorf("--diff-context %d: must be 0 or more (the unchanged lines around each change)", o.DiffContext)
	}
	if o.IncludeObjects && o.Output != "json" && o.JSONOutFile == "" {
		return nil, fmt.Errorf("--include-objects adds the objects to the JSON document: use it with -o json or --json-out FILE")
	}
	switch o.Output {
	case "text":
		out := o.IO.Out
		if o.OutFile != "" {
			out = nil // a file is not a terminal
		}
		color, err := colorEnabled(o.Cluster.Color, out, o.Cluster.Getenv)
		if err != nil {
			return nil, err
		}
		text := plan.TextOptions{Color: color, Style: style}
		if ext, ok := o.externalDiff(); ok {
			text.OmitDiffs = true
			return func(w io.Writer, p *plan.Plan) error {
				if err := plan.PrintText(w, p, text); err != nil {
					return err
				}
				return ext.Run(ctx, plan.DiffPairs(p), w, o.IO.ErrOut)
			}, nil
		}
		return func(w io.Writer, p *plan.Plan) error { return plan.PrintText(w, p, text) }, nil
	case "json":
		return o.printJSON, nil
	case "markdown":
		now, err := planTime(o.Cluster.Getenv, o.Now)
		if err != nil {
			return nil, err
		}
		origin := planOrigin(&o.Cluster, o.Commit, now)
		return func(w io.Writer, p *plan.Plan) error {
			return plan.PrintMarkdown(w, p, plan.MarkdownOptions{MaxBytes: o.MarkdownMaxSize, Title: o.Title, Origin: origin, Style: style})
		}, nil
	default:
		return nil, fmt.Errorf("--output %q is not supported; use text, json or markdown", o.Output)
	}
}

// printJSON writes the JSON document, with the objects when asked.
func (o *PlanOptions) printJSON(w io.Writer, p *plan.Plan) error {
	return plan.PrintJSON(w, p, plan.JSONOptions{Objects: o.IncludeObjects})
}

// externalDiff is the program KUBECTL_EXTERNAL_DIFF names, if any; words
// that kubectl's rule leaves out are named in a warning, since kubectl
// drops them silently.
func (o *PlanOptions) externalDiff() (diff.External, bool) {
	ext, ok := diff.ParseExternal(o.Cluster.Getenv(diff.ExternalEnv))
	if ok && len(ext.Dropped) > 0 {
		fmt.Fprintf(o.IO.ErrOut, "warning: %s: %q left out: as kubectl diff, only words of letters, digits, '-' and '=' are passed to %s\n", diff.ExternalEnv, ext.Dropped, ext.Program)
	}
	return ext, ok
}

// write prints to stdout or --out, and the JSON document to --json-out.
func (o *PlanOptions) write(printer func(io.Writer, *plan.Plan) error, p *plan.Plan) error {
	if o.JSONOutFile != "" {
		if err := writeFileAtomic(o.JSONOutFile, "--json-out", o.printJSON, p); err != nil {
			return err
		}
	}
	if o.OutFile == "" {
		return printer(o.IO.Out, p)
	}
	if err := writeFileAtomic(o.OutFile, "--out", printer, p); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "Plan written to %s: %s\n", o.OutFile, p.Summary().Sentence())
	return nil
}

// writeFileAtomic prints into a temporary file renamed into place, so a
// reader never sees half a plan.
func writeFileAtomic(path, flag string, printer func(io.Writer, *plan.Plan) error, p *plan.Plan) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	err = printer(f, p)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	return nil
}
