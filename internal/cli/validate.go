package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// ValidateOptions are the inputs of `validate`.
type ValidateOptions struct {
	IO     genericiooptions.IOStreams
	Paths  []string
	Input  InputFlags
	Output string
	Strict bool
	// WorkDir makes GitHub annotation paths relative; defaults to the
	// process's working directory.
	WorkDir string
}

var _ = register(NewValidateCmd)

// NewValidateCmd builds `kubectl mgi validate`.
func NewValidateCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newValidateCmd(streams, runValidate)
}

// newValidateCmd binds the flags into ValidateOptions and hands them to runF: runValidate
// in the binary, a function that captures the options in flag tests.
func newValidateCmd(streams genericiooptions.IOStreams, runF func(context.Context, *ValidateOptions) error) *cobra.Command {
	o := &ValidateOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "validate DIR|FILE|- ... | -k DIR",
		Short: "Check manifests offline: schema, Kuma's admission rules, gateway matching",
		Long: `validate runs the same checks as render without printing objects: strict schema
of MeshGatewayInstances and MeshGateways (unknown fields are errors), the rules
Kuma's admission webhooks enforce, and cross-object checks (no gateway matched,
ambiguous match, duplicate objects). Every finding names its file, line, field and
rule; the rules are listed in docs/rules.md.

Exit status: 0 when there are no errors, 1 when there are (with --strict,
warnings count as errors).

With -k DIR the kustomization in DIR is built in-process with kustomize's API
(no plugins, as kubectl apply -k) and the result is expanded; kubectl-mgi's own
function listed in it is taken out of the build and its config used. See
docs/kustomize.md.` + kumaVersionHelp,
		Example: `  # Human-readable findings
  kubectl mgi validate ./gateways

  # Check what a kustomize overlay builds; findings name the base's or the
  # overlay's file and line
  kubectl mgi validate -k overlays/prod

  # Annotations on a GitHub pull request
  kubectl mgi validate ./gateways -o github

  # Machine-readable, failing on warnings too
  kubectl mgi validate ./gateways -o json --strict`,
		Args: inputArgs(&o.Input.Kustomization),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runF(cmd.Context(), o)
		},
	}
	o.Input.bind(cmd, true)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "text", "output format: text, json or github")
	cmd.Flags().BoolVar(&o.Strict, "strict", false, "fail on warnings too")
	return cmd
}

func runValidate(_ context.Context, o *ValidateOptions) error {
	var print func(finding.List) error
	switch o.Output {
	case "text":
		print = func(l finding.List) error { return finding.PrintText(o.IO.Out, l) }
	case "json":
		print = func(l finding.List) error { return finding.PrintJSON(o.IO.Out, l) }
	case "github":
		wd := o.WorkDir
		if wd == "" {
			wd, _ = os.Getwd()
		}
		print = func(l finding.List) error { return finding.PrintGitHub(o.IO.Out, l, wd) }
	default:
		return fmt.Errorf("--output %q is not supported; use text, json or github", o.Output)
	}
	res, err := pipeline.Run(o.Input.options(o.IO.In, o.Paths, nil))
	if err != nil {
		return err
	}
	if err := print(res.Findings); err != nil {
		return err
	}
	return exitWith(result{findings: res.Findings, strict: o.Strict})
}
