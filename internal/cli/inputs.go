package cli

import (
	"fmt"
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
	// Kustomization is -k: a kustomization directory to build and expand
	// instead of paths.
	Kustomization string
	// MaxFileSize is --max-file-size in bytes; 0 is the reader's default.
	MaxFileSize int64
}

func (f *InputFlags) bind(cmd *cobra.Command, withNamespace bool) {
	cmd.Flags().StringVar(&f.ConfigFile, "config", "", "file holding a ControlPlaneConfig (default: the one in the inputs, else Kuma's defaults)")
	bindKustomize(cmd, &f.Kustomization)
	bindMaxFileSize(cmd.Flags(), &f.MaxFileSize)
	if withNamespace {
		cmd.Flags().StringVarP(&f.Namespace, "namespace", "n", pipeline.DefaultNamespace, "namespace of MeshGatewayInstances that set none")
	}
}

// options are the pipeline's options for these flags: the one place where
// flags become what the pipeline reads. readFile is a test seam (nil reads
// the file system).
func (f InputFlags) options(stdin io.Reader, paths []string, readFile func(string) ([]byte, error)) pipeline.Options {
	return pipeline.Options{Paths: paths, Stdin: stdin, ConfigFile: f.ConfigFile, DefaultNamespace: f.Namespace, ReadFile: readFile, Kustomization: f.Kustomization, MaxFileSize: f.MaxFileSize}
}

// bindKustomize adds -k, spelled as kubectl apply -k spells it.
func bindKustomize(cmd *cobra.Command, dir *string) {
	cmd.Flags().StringVarP(dir, "kustomize", "k", "", "build the kustomization in this directory (as kubectl apply -k) and expand the result, instead of reading paths")
}

// inputArgs accepts paths, or none with -k.
func inputArgs(kustomization *string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case *kustomization == "" && len(args) == 0:
			return fmt.Errorf("give a directory, a file or - (standard input), or -k DIR for a kustomization")
		case *kustomization != "" && len(args) > 0:
			return fmt.Errorf("-k %s and the paths %v: give one or the other (list the paths under the kustomization's resources: to expand both)", *kustomization, args)
		}
		return nil
	}
}
