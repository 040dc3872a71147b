package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// RenderOptions are the inputs of `render`.
type RenderOptions struct {
	IO     genericiooptions.IOStreams
	Paths  []string
	Input  InputFlags
	Output string
}

var _ = register(NewRenderCmd)

// NewRenderCmd builds `kubectl mgi render`.
func NewRenderCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newRenderCmd(streams, runRender)
}

// newRenderCmd binds the flags into RenderOptions and hands them to runF: runRender
// in the binary, a function that captures the options in flag tests.
func newRenderCmd(streams genericiooptions.IOStreams, runF func(context.Context, *RenderOptions) error) *cobra.Command {
	o := &RenderOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "render DIR|FILE|- ... | -k DIR",
		Short: "Print the objects to apply: every MeshGatewayInstance expanded, the rest unchanged",
		Long: `render reads manifests, expands every MeshGatewayInstance into the Deployment and
Service that Kuma's control plane would build, and prints all objects to apply in
apply order. It needs no cluster. Nothing is printed on stdout when any input is
invalid; the problems go to stderr and the exit status is 1.

Every YAML reader reads the output the same: a string that YAML 1.1 (kubectl's
reading) or YAML 1.2 would take for something else (y, yes, on, off, null, ~,
0x1F, 1e3, 1:20, 2024-01-01, <<, =) is written double-quoted, and so is a key
written plain that reads as a number, boolean or null (000:, true:, ~:), since
every key of a Kubernetes object is a string.

With -k DIR the kustomization in DIR is built in-process with kustomize's API
(no plugins, as kubectl apply -k) and the result is expanded; kubectl-mgi's own
function listed in it is taken out of the build and its config used. See
docs/kustomize.md.` + kumaVersionHelp,
		Example: `  # Render a directory (recursively; hidden folders are skipped)
  kubectl mgi render ./gateways

  # Render from standard input, as JSON (a v1 List)
  cat gateway.yaml | kubectl mgi render - -o json

  # Build a kustomization (as kubectl apply -k) and expand it: the bytes
  # kustomize build prints with the function as the last transformer
  kubectl mgi render -k overlays/prod

  # What Kuma 2.14 would build
  kubectl mgi render ./gateways --kuma-version 2.14

  # Apply with plain kubectl instead of kubectl mgi apply
  kubectl mgi render ./gateways | kubectl apply --server-side -f -`,
		Args: inputArgs(&o.Input.Kustomization),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			return runF(cmd.Context(), o)
		},
	}
	o.Input.bind(cmd, true)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "yaml", "output format: yaml or json")
	return cmd
}

func runRender(_ context.Context, o *RenderOptions) error {
	if o.Output != "yaml" && o.Output != "json" {
		return fmt.Errorf("--output %q is not supported; use yaml or json", o.Output)
	}
	res, err := renderInputs(o.IO, o.Paths, o.Input)
	if err != nil {
		return err
	}
	if o.Output == "json" {
		return codec.WriteJSON(o.IO.Out, res.Objects)
	}
	if res.Build != nil {
		// What kustomize build prints with the function last: its order
		// and encoding.
		clean, err := codec.Clean(res.Objects)
		if err != nil {
			return err
		}
		return res.Build.Write(o.IO.Out, clean)
	}
	return codec.WriteYAML(o.IO.Out, res.Objects)

}

// renderInputs runs the pipeline and reports its findings on stderr. It
// fails (exit 1, already reported) when any finding is an error: nothing downstream may
// use a desired state built from invalid input.
func renderInputs(streams genericiooptions.IOStreams, paths []string, in InputFlags) (*pipeline.Result, error) {
	res, err := pipeline.Run(in.options(streams.In, paths, nil))
	if err != nil {
		return nil, err
	}
	return res, reportFindings(streams.ErrOut, res.Findings)
}

func reportFindings(w io.Writer, fs finding.List) error {
	for _, f := range fs {
		fmt.Fprintln(w, f.String())
	}
	if n := fs.Count(finding.Error); n > 0 {
		fmt.Fprintf(w, "%d %s: nothing was done; fix the inputs above and run again\n", n, pluralWord(n, "error", "errors"))
	}
	return exitWith(result{findings: fs})
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
