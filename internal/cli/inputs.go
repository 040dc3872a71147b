package cli

import (
	"github.com/spf13/cobra"
)

// InputFlags are the flags every command that reads a directory shares.
type InputFlags struct {
	// ConfigFile is --config.
	ConfigFile string
	// Namespace is the namespace of instances that name none.
	Namespace string
}

func (f *InputFlags) bind(cmd *cobra.Command, withNamespace bool) {
	cmd.Flags().StringVar(&f.ConfigFile, "config", "", "file holding a ControlPlaneConfig (default: the one in the inputs, else Kuma's defaults)")
	if withNamespace {
		cmd.Flags().StringVarP(&f.Namespace, "namespace", "n", "default", "namespace of MeshGatewayInstances that set none")
	}
}
