package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"github.com/kubectl-mgi/kubectl-mgi/internal/version"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"
)

// VersionOptions are the inputs of `version`.
type VersionOptions struct {
	IO     genericiooptions.IOStreams
	Output string
	// Info is the report to print; tests set it, the command reads the binary's.
	Info version.Info
}

var _ = register(NewVersionCmd)

// NewVersionCmd builds `kubectl mgi version`.
func NewVersionCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return newVersionCmd(streams, runVersion)
}

// newVersionCmd binds the flags into VersionOptions and hands them to runF: runVersion
// in the binary, a function that captures the options in flag tests.
func newVersionCmd(streams genericiooptions.IOStreams, runF func(context.Context, *VersionOptions) error) *cobra.Command {
	o := &VersionOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date of kubectl mgi",
		Long: `version prints the release, git commit and build date of this binary, and the
Go version and platform it was built for. Include it in bug reports. It needs no
cluster. The JSON and YAML forms also name the Kuma release the expansion
builds for by default (kumaVersion, today ` + kuma.DefaultLine + `) and every release it can
build for (kumaVersions; pick one with --kuma-version, see docs/kuma-versions.md).`,
		Example: `  # One line for people
  kubectl mgi version

  # For scripts: {"version","commit","date","goVersion","platform","kumaVersion","kumaVersions"}
  kubectl mgi version -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Info = version.Get()
			return runF(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Output, "output", "o", "text", "output format: text, json or yaml")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runVersion(_ context.Context, o *VersionOptions) error {
	switch o.Output {
	case "text":
		_, err := fmt.Fprintln(o.IO.Out, o.Info.String())
		return err
	case "json":
		enc := json.NewEncoder(o.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(o.Info)
	case "yaml":
		b, err := yaml.Marshal(o.Info)
		if err != nil {
			return fmt.Errorf("version: encoding YAML: %w", err)
		}
		_, err = o.IO.Out.Write(b)
		return err
	default:
		return fmt.Errorf("--output %q is not supported; use text, json or yaml", o.Output)
	}
}
