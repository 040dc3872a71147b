package pipeline

import (
	"bytes"
	"fmt"
	"io"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// ResourceList API versions: v1 is written, v1beta1 is still read because
// older orchestrators send it.
const (
	ResourceListV1      = "config.kubernetes.io/v1"
	ResourceListV1beta1 = "config.kubernetes.io/v1beta1"
)

// Function is the KRM function: the same filters as render, run over the
// items of a ResourceList (and, in generator mode, over the inputs its
// functionConfig names). It never fails on bad items: it reports them as
// results, and the orchestrator stops on an error result.
type Function struct {
	// WorkDir resolves the relative paths of the functionConfig (generator
	// inputs, caCertFile). kustomize runs exec functions in the
	// kustomization's directory, so the default "" (the working directory)
	// is that directory.
	WorkDir string
	// DefaultNamespace is the namespace of instances that name none.
	DefaultNamespace string
	// KumaVersion is fn --kuma-version; it wins over the functionConfig's
	// spec.kumaVersion.
	KumaVersion string
}

var _ framework.ResourceListProcessor = &Function{}

// RunFunction reads a ResourceList from r and writes the resulting
// ResourceList to w. Nothing else is written to w. The findings are those
// written as results; an error result means the caller must exit 1. The
// error is for input that is not a ResourceList at all; then w is untouched.
func RunFunction(r io.Reader, w io.Writer, f *Function) (finding.List, error) {
	var buf bytes.Buffer
	var findings finding.List
	rw := &kio.ByteReadWriter{Reader: r, Writer: &buf, KeepReaderAnnotations: true}
	p := framework.ResourceListProcessorFunc(func(rl *framework.ResourceList) error {
		if err := checkWrapper(rw); err != nil {
			return err
		}
		// Earlier functions' results are theirs, not ours to repeat.
		rw.Results = nil
		rw.WrappingAPIVersion = ResourceListV1
		var err error
		findings, err = f.process(rl)
		return err
	})
	if err := framework.Execute(p, rw); err != nil {
		return nil, err
	}
	if _, err := io.Copy(w, &buf); err != nil {
		return nil, fmt.Errorf("writing the ResourceList: %w", err)
	}
	return findings, nil
}

// checkWrapper refuses a bare YAML stream or a List: a function that
// silently accepted them would lose the functionConfig and the results.
func checkWrapper(rw *kio.ByteReadWriter) error {
	if rw.WrappingKind != kio.ResourceListKind {
		return fmt.Errorf("standard input is not a ResourceList: kubectl mgi fn is a KRM function; run it from kustomize or kpt, or give it a ResourceList (apiVersion %s, kind ResourceList); to expand a directory use kubectl mgi render", ResourceListV1)
	}
	switch rw.WrappingAPIVersion {
	case ResourceListV1, ResourceListV1beta1:
		return nil
	}
	return fmt.Errorf("ResourceList apiVersion %q is not supported; use %s (or %s)", rw.WrappingAPIVersion, ResourceListV1, ResourceListV1beta1)
}

// Process implements framework.ResourceListProcessor; the findings are in
// rl.Results.
func (f *Function) Process(rl *framework.ResourceList) error {
	_, err := f.process(rl)
	return err
}

// process runs the function over rl and returns its findings as data too
// (positions in items have no line, see forgetLines), so that nothing is
// kept in the Function between calls.
func (f *Function) process(rl *framework.ResourceList) (finding.List, error) {
	for _, n := range rl.Items {
		forgetLines(n)
	}
	ctx := &Context{DefaultNamespace: f.DefaultNamespace}
	nodes, s, err := f.load(ctx, rl)
	if err != nil {
		return nil, err
	}
	nodes = withoutFunctionConfig(nodes, rl.FunctionConfig)
	if err := useRelease(ctx, f.KumaVersion); err != nil {
		return nil, err
	}
	ctx.report(source.Duplicates(nodes)...)
	if s.mode == ModeValidate {
		unexpanded(ctx, nodes)
	} else {
		nothingToExpand(ctx, rl.FunctionConfig, nodes, s)
	}
	out, err := Process(ctx, nodes)
	if err != nil {
		return nil, err
	}
	findings := ctx.Findings
	rl.Results = toResults(findings)
	if findings.HasErrors() || s.mode == ModeValidate {
		// The orchestrator discards the items of a failed function; keep
		// them as they came so nothing half-expanded is ever written. A
		// validator must return them unchanged (kustomize refuses one that
		// changes the resources).
		return findings, nil
	}
	if err := placeGenerated(out, nodes); err != nil {
		return nil, err
	}
	rl.Items = out
	return findings, nil
}

// withoutFunctionConfig drops a ConfigMap functionConfig's own copy from
// the items (kustomize hands a generator its config as an item): it is
// configuration, not an object for the cluster. A ControlPlaneConfig copy
// is local config and dropped by Expand.
func withoutFunctionConfig(nodes []*yaml.RNode, fc *yaml.RNode) []*yaml.RNode {
	if fc == nil || !config.IsConfigMap(fc) {
		return nodes
	}
	out := nodes[:0:0]
	for _, n := range nodes {
		if !isFunctionConfigItem(n, fc) || config.IsConfig(n) {
			out = append(out, n)
		}
	}
	return out
}

// forgetLines clears the line numbers of a node read from the
// ResourceList: they count lines of the stream, not of any file a person
// could open, and results must not point there.
func forgetLines(rn *yaml.RNode) {
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		n.Line, n.Column = 0, 0
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(rn.YNode())
}
