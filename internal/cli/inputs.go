package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"

	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/spf13/cobra"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"k8s.io/client-go/tools/clientcmd"
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
	// MaxInputSize is --max-input-size in bytes; 0 is the reader's default.
	MaxInputSize int64
	// KumaVersion is --kuma-version; "" keeps spec.kumaVersion or the default.
	KumaVersion string
	// Kubeconfig and Context (--kubeconfig, --context) name the kubeconfig
	// whose context's namespace instances without one get when -n is not
	// given, as plan and apply do. The file is only read, never connected to.
	Kubeconfig, Context string
}

// namespaceHelp is the namespace rule, the same for every command.
const namespaceHelp = "namespace of MeshGatewayInstances that set none (default: the kubeconfig context's namespace, else default, as plan and apply)"

// resolveNamespace is the namespace rule: -n, else the kubeconfig context's
// namespace (read from the file; no cluster is contacted), else default.
func (f InputFlags) resolveNamespace() string {
	if f.Namespace != "" {
		return f.Namespace
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = f.Kubeconfig
	cfg := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: f.Context})
	if ns, _, err := cfg.Namespace(); err == nil && ns != "" {
		return ns
	}
	return object.DefaultNamespace
}

func (f *InputFlags) bind(cmd *cobra.Command, withNamespace bool) {
	cmd.Flags().StringVar(&f.ConfigFile, "config", "", "file holding a ControlPlaneConfig (default: the one in the inputs, else Kuma's defaults)")
	bindKustomize(cmd, &f.Kustomization)
	bindMaxFileSize(cmd.Flags(), &f.MaxFileSize)
	bindMaxInputSize(cmd.Flags(), &f.MaxInputSize)
	bindKumaVersion(cmd, &f.KumaVersion)
	if withNamespace {
		cmd.Flags().StringVarP(&f.Namespace, "namespace", "n", "", namespaceHelp)
		cmd.Flags().StringVar(&f.Kubeconfig, "kubeconfig", "", "kubeconfig whose context's namespace applies without -n (only read, never connected to)")
		cmd.Flags().StringVar(&f.Context, "context", "", "the kubeconfig context whose namespace applies without -n")
	}
}

// options are the pipeline's options for these flags: the one place where
// flags become what the pipeline reads. readFile is a test seam (nil reads
// the file system).
func (f InputFlags) options(stdin io.Reader, paths []string, readFile func(string) ([]byte, error)) pipeline.Options {
	return pipeline.Options{Paths: paths, Stdin: stdin, ConfigFile: f.ConfigFile, DefaultNamespace: f.resolveNamespace(), ReadFile: readFile, Kustomization: f.Kustomization, MaxFileSize: f.MaxFileSize, MaxInputSize: f.MaxInputSize, KumaVersion: f.KumaVersion}
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

// bindKumaVersion adds --kuma-version, the one flag every expanding command
// shares (render, validate, plan, apply, fn).
func bindKumaVersion(cmd *cobra.Command, v *string) {
	cmd.Flags().StringVar(v, "kuma-version", "", "Kuma release to build for: "+strings.Join(kuma.Lines(), ", ")+
		" (a patch such as 2.13.4 maps to its line); wins over the ControlPlaneConfig's spec.kumaVersion (default "+kuma.DefaultLine+", the current LTS)")
	_ = cmd.RegisterFlagCompletionFunc("kuma-version", cobra.FixedCompletions(kuma.Lines(), cobra.ShellCompDirectiveNoFileComp))
}

// kumaVersionHelp is the paragraph of every expanding command's help about
// which Kuma release it builds for.
var kumaVersionHelp = `

What is built is what Kuma ` + kuma.DefaultLine + ` (the current LTS) builds, unless the
ControlPlaneConfig says spec.kumaVersion or --kuma-version names another
release (` + strings.Join(kuma.Lines(), ", ") + `); see docs/kuma-versions.md.`

// clusterVersionHelp is plan's and apply's paragraph about version detection.
const clusterVersionHelp = `

plan and apply read the Kuma control plane's version from the cluster (the
image tag of the kuma-control-plane Deployment in the namespace of
spec.controlPlaneURL, kuma-system by default) and warn when it is not the
release the expansion is for. Without permission to read that Deployment
they say nothing (with -v, one debug line).

When the API server refuses a request (RBAC), every permission the run needs
is checked with SelfSubjectAccessReview and all that are missing are listed
in one error, with a Role and ClusterRole (and bindings) that grant them,
ready for an administrator to kubectl apply.`
