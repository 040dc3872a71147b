package cli

import (
	"io"

	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
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
		cmd.Flags().StringVarP(&f.Namespace, "namespace", "n", pipeline.DefaultNamespace, "namespace of MeshGatewayInstances that set none")
	}
}

// options are the pipeline's options for these flags: the one place where
// flags become what the pipeline reads. readFile is a test seam (nil reads
// the file system).
func (f InputFlags) options(stdin io.Reader, paths []string, readFile func(string) ([]byte, error)) pipeline.Options {
	return pipeline.Options{Paths: paths, Stdin: stdin, ConfigFile: f.ConfigFile, DefaultNamespace: f.Namespace, ReadFile: readFile}
}
