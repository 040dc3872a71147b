// Package cli holds one file per command: its Options, the flags that fill
// them, and a run function that does the work through the packages below.
// Run functions never see cobra and write only to the streams they are
// given, so tests call them directly.
package cli

import (
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// NewRootCmd builds `kubectl mgi` with every subcommand.
func NewRootCmd(streams genericiooptions.IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "kubectl-mgi",
		Short: "Kuma gateways as reviewed, declarative manifests",
		Long: `kubectl mgi expands Kuma MeshGatewayInstances into the Deployment and Service
that Kuma's control plane would build, shows what applying them would change in
the cluster, and applies them with server-side apply.

MeshGatewayInstances and the tool's ControlPlaneConfig are inputs (local config):
they are expanded, never sent to the cluster. Every other object in the
directory (MeshGateways, Namespaces, ...) passes through unchanged.`,
		Example: `  # Check a directory offline, as a pull-request pipeline would
  kubectl mgi validate ./gateways

  # See the objects Kuma would build
  kubectl mgi render ./gateways

  # See what would change in the cluster, then change it
  kubectl mgi plan ./gateways
  kubectl mgi apply ./gateways`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Annotations: map[string]string{
			cobra.CommandDisplayNameAnnotation: "kubectl mgi",
		},
	}
	profile := &profileFlags{}
	profile.bind(root)
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	for _, add := range commands {
		root.AddCommand(add(streams))
	}
	registerCompletions(root)
	profile.wrap(root)
	return root
}

// commands lists the constructors of the subcommands; each command's file
// adds itself, so adding a command touches one file.
var commands []func(genericiooptions.IOStreams) *cobra.Command

func register(c func(genericiooptions.IOStreams) *cobra.Command) bool {
	commands = append(commands, c)
	return true
}
