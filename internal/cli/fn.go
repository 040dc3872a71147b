package cli

import (
	"context"
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// FnOptions are the inputs of `fn`.
type FnOptions struct {
	IO genericiooptions.IOStreams
	// Namespace is the namespace of instances that name none.
	Namespace string
	// KumaVersion is --kuma-version.
	KumaVersion string
	// WorkDir resolves the functionConfig's relative paths; "" is the
	// process's working directory (kustomize's kustomization directory).
	WorkDir string
}

var _ = register(NewFnCmd)

// NewFnCmd builds `kubectl mgi fn`.
func NewFnCmd(streams genericiooptions.IOStreams) *cobra.Command { return newFnCmd(streams, runFn) }

// newFnCmd binds the flags into FnOptions and hands them to runF: runFn
// in the binary, a function that captures the options in flag tests.
func newFnCmd(streams genericiooptions.IOStreams, runF func(context.Context, *FnOptions) error) *cobra.Command {
	o := &FnOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "fn",
		Short: "Run as a KRM function: ResourceList on stdin, ResourceList on stdout",
		Long: `fn is the expansion as a KRM function, for kustomize (transformers: or
generators:) and kpt. It reads a ResourceList (config.kubernetes.io/v1, or
v1beta1) on standard input and writes a ResourceList on standard output:
every MeshGatewayInstance replaced by its Deployment and Service, the
ControlPlaneConfig removed, everything else unchanged (comments included).

The functionConfig is a ControlPlaneConfig, or a ConfigMap whose data keys are
its fields (dataplaneImage, dns.enabled, resources.limits.cpu, ...); none, or an
empty ConfigMap as kustomize fn run sends: the ControlPlaneConfig among the
items, else Kuma's defaults. With the annotation kubectl-mgi.kuma.io/inputs:
DIR[,DIR...] on it, the objects in those directories (relative to the
kustomization) are expanded too: generator mode. With kubectl-mgi.kuma.io/mode:
validate, the items come back unchanged and only the results are added: for
validators:, where an instance still unexpanded is an error.

Problems become KRM results with file, index and field; they are also
printed on standard error. Exit status 1 when any result is an error.
See docs/krm-function.md.` + kumaVersionHelp,
		Example: `  # In a kustomization, as an exec function (kustomize build --enable-alpha-plugins --enable-exec)
  #   transformers: [mgi.yaml]   with mgi.yaml a ControlPlaneConfig annotated
  #   config.kubernetes.io/function: {exec: {path: kubectl-mgi, args: [fn]}}

  # kustomize fn run, through a one-line wrapper (fn run passes no arguments;
  # it rewrites the folder in place: --dry-run prints instead)
  printf '#!/bin/sh\nexec kubectl-mgi fn "$@"\n' > mgi-fn && chmod +x mgi-fn
  kustomize fn run ./gateways --enable-exec --exec-path ./mgi-fn --dry-run

  # By hand
  kustomize cfg cat ./gateways --wrap-kind ResourceList --wrap-version config.kubernetes.io/v1 | kubectl mgi fn`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVarP(&o.Namespace, "namespace", "n", object.DefaultNamespace, "namespace of MeshGatewayInstances that set none")
	bindKumaVersion(cmd, &o.KumaVersion)
	return cmd
}

func runFn(_ context.Context, o *FnOptions) error {
	if o.KumaVersion != "" {
		if _, err := kuma.Lookup(o.KumaVersion); err != nil {
			return fmt.Errorf("--kuma-version: %w", err)
		}
	}
	f := &pipeline.Function{WorkDir: o.WorkDir, DefaultNamespace: o.Namespace, KumaVersion: o.KumaVersion}
	findings, err := pipeline.RunFunction(o.IO.In, o.IO.Out, f)
	if err != nil {
		return err
	}
	for _, x := range findings {
		fmt.Fprintln(o.IO.ErrOut, x.String())
	}
	if findings.HasErrors() {
		fmt.Fprintf(o.IO.ErrOut, "%d %s: the items were returned unexpanded; fix the inputs above and run again\n",
			findings.Count(finding.Error), pluralWord(findings.Count(finding.Error), "error", "errors"))
	}
	return exitWith(result{findings: findings})
}
