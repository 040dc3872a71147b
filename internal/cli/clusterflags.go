package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// ClusterFlags are what plan and apply share: kubectl's standard flags
// (--kubeconfig, --context, -n, --as, ...), the inputs, the field manager
// and color.
type ClusterFlags struct {
	Kube         *genericclioptions.ConfigFlags
	ConfigFile   string
	MaxFileSize  int64
	MaxInputSize int64
	KumaVersion  string
	FieldManager string
	Color        string
	// Kustomization is -k.
	Kustomization string
	// Selector is -l: only the rendered objects it matches are planned or
	// applied.
	Selector string
	// Verbosity is -v: 1 or more prints debug lines on stderr.
	Verbosity int
	// Getenv is a test seam for NO_COLOR.
	Getenv func(string) string
	// readFile is a test seam that sees every input file read; nil is
	// os.ReadFile.
	readFile func(string) ([]byte, error)
	// findingsInPlan is plan's: the expansion's findings go into the plan
	// (every output format) instead of standard error, and an error among
	// them does not stop the run (the plan then exits 1).
	findingsInPlan bool
	// applySet is the command's --applyset, resolved against the
	// directory's setting once the inputs are read (resolveApplySet);
	// needSet is the error when neither names a set.
	applySet *string
	needSet  string
	// needs says what the command asks of the server beyond the objects
	// (cluster.Needs), for the one message that lists every permission
	// missing when reading the live context is refused.
	needs func() cluster.Needs
}

func newClusterFlags() ClusterFlags {
	kube := genericclioptions.NewConfigFlags(true)
	// A bound on every request by default (kubectl has none): a stalled
	// connection must not hang the tool.
	timeout := cluster.DefaultRequestTimeout.String()
	kube.Timeout = &timeout
	return ClusterFlags{Kube: kube, FieldManager: cluster.DefaultFieldManager, Color: "auto", Getenv: os.Getenv}
}

// checkRequestTimeout refuses a --request-timeout kubectl's loader would
// refuse later with a message blaming the kubeconfig. Like kubectl, a bare
// number is seconds and 0 means no limit.
func (f *ClusterFlags) checkRequestTimeout() error {
	if f.Kube.Timeout == nil {
		return nil
	}
	v := *f.Kube.Timeout
	d, err := time.ParseDuration(v)
	if n, nerr := strconv.ParseInt(v, 10, 64); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	switch {
	case err != nil:
		return fmt.Errorf("--request-timeout %q: not a duration (say 30s, 1m, or 0 for no limit)", v)
	case d < 0:
		return fmt.Errorf("--request-timeout %q: must not be negative (0 means no limit)", v)
	}
	return nil
}

func (f *ClusterFlags) bind(cmd *cobra.Command) {
	f.bindReading(cmd)
	cmd.Flags().StringVar(&f.FieldManager, "field-manager", f.FieldManager, "server-side apply field manager; plan and apply must use the same one")
	cmd.Flags().StringVar(&f.Color, "color", f.Color, "color the output (plan: the diff; apply: what happened to each object): auto (only on a terminal, not with NO_COLOR), always or never")
}

// bindReading binds the flags of every command that reads the inputs
// against a cluster (plan, apply, status): kubectl's, the inputs', -l, -v.
func (f *ClusterFlags) bindReading(cmd *cobra.Command) {
	f.Kube.AddFlags(cmd.Flags())
	bindKustomize(cmd, &f.Kustomization)
	cmd.Flags().StringVar(&f.ConfigFile, "config", "", "file holding a ControlPlaneConfig (default: the one in the inputs, else Kuma's defaults)")
	bindMaxFileSize(cmd.Flags(), &f.MaxFileSize)
	bindMaxInputSize(cmd.Flags(), &f.MaxInputSize)
	bindKumaVersion(cmd, &f.KumaVersion)
	bindSelector(cmd, &f.Selector)
	cmd.Flags().IntVarP(&f.Verbosity, "v", "v", 0, "1 or more: print debug lines on stderr (such as why the cluster's Kuma version was not checked)")
}

// desired is the desired state for the cluster behind the flags, and a
// client for that cluster, in one pass: the inputs are read and validated
// once, offline, so that invalid input fails before (and without) any
// request to the cluster; then the live Namespaces and MeshGateways that
// mesh resolution and gateway matching may need are listed, and the inputs
// are matched and expanded once, with them.
func (f *ClusterFlags) desired(ctx context.Context, streams genericiooptions.IOStreams, paths []string) (*cluster.Client, desiredState, error) {
	if err := f.checkRequestTimeout(); err != nil {
		return nil, desiredState{}, err
	}
	sel, err := parseSelector(f.Selector)
	if err != nil {
		return nil, desiredState{}, err
	}
	ns := object.NamespaceOr(f.namespace())
	in := InputFlags{ConfigFile: f.ConfigFile, Namespace: ns, Kustomization: f.Kustomization, MaxFileSize: f.MaxFileSize, MaxInputSize: f.MaxInputSize, KumaVersion: f.KumaVersion}
	inputs, err := pipeline.Read(in.options(streams.In, paths, f.readFile))
	if err != nil {
		return nil, desiredState{}, err
	}
	if fs := inputs.Findings(); fs.HasErrors() {
		return nil, desiredState{}, reportFindings(streams.ErrOut, fs)
	}
	if f.applySet != nil {
		if err := resolveApplySet(f.applySet, inputs.Config().ApplySet, f.needSet); err != nil {
			return nil, desiredState{}, err
		}
		if *f.applySet != "" && !sel.Empty() {
			return nil, desiredState{}, errSelectorWithApplySet
		}
	}
	c, err := cluster.New(ctx, f.Kube, cluster.Options{})
	if err != nil {
		return nil, desiredState{}, err
	}
	// The control plane's release is read beside the live context (one
	// round trip for both); it is printed once the objects are built.
	version := make(chan versionCheck, 1)
	go func() { version <- checkKumaVersion(ctx, c, inputs.Config()) }()
	nss, gws, err := c.LiveContext(ctx)
	if err != nil {
		return nil, desiredState{}, f.collectForbidden(ctx, c, inputs, sel, err)
	}
	live := pipeline.Live{Namespaces: nss, Gateways: gws}
	if inputs.UsesNodePort() && !inputs.Config().NodePortRangeSet() {
		var err error
		if live.NodePortRange, err = c.NodePortRange(ctx); err != nil && f.Verbosity > 0 {
			fmt.Fprintf(streams.ErrOut, "debug: %v; checking NodePort listeners against %s\n", err, inputs.Config().NodePortRange)
		}
	}
	res, err := inputs.Expand(live)
	if err != nil {
		return nil, desiredState{}, err
	}
	fs := clusterFindings(res.Findings)
	if !f.findingsInPlan {
		if err := reportFindings(streams.ErrOut, fs); err != nil {
			return nil, desiredState{}, err
		}
	}
	(<-version).print(streams.ErrOut, f.Verbosity)
	objs, err := toObjects(res)
	if err != nil {
		return nil, desiredState{}, err
	}
	return c, selectObjects(sel, desiredState{Objects: objs, Instances: toInstances(res.Instances), Findings: fs, Ignore: res.Config.Ignore}), nil
}

// collectForbidden turns a refused read of the live context into the list
// of every permission the command needs and lacks. The inputs are expanded
// without the live context only to name the objects (their kinds and
// namespaces do not depend on it); nothing of that expansion is sent.
func (f *ClusterFlags) collectForbidden(ctx context.Context, c *cluster.Client, inputs *pipeline.Inputs, sel labels.Selector, err error) error {
	if f.needs == nil {
		return err
	}
	n := f.needs()
	n.Render = true
	if res, xerr := inputs.Expand(pipeline.Live{}); xerr == nil {
		if objs, oerr := toObjects(res); oerr == nil {
			state := selectObjects(sel, desiredState{Objects: objs, Instances: toInstances(res.Instances)})
			n.Objects, n.Instances = state.Objects, state.Instances
		}
	}
	return c.CollectForbidden(ctx, err, n)
}

// clusterFindings are the findings as plan and apply judge them: a
// NodePort outside the node-port range is an error there, not a warning.
// The server-side dry-run accepts such a Service and the apply then fails
// (the node port is allocated only when the object is written), so the
// tool checks it before any write.
func clusterFindings(fs finding.List) finding.List {
	out := make(finding.List, len(fs))
	for i, f := range fs {
		if f.Rule == gateway.NodePortOutOfRange {
			f.Severity = finding.Error
			f.Message += "; plan and apply refuse it: the dry-run accepts it but the apply fails"
		}
		out[i] = f
	}
	return out
}

// namespace is kubectl's: -n, else the kubeconfig context's; "" lets the
// pipeline decide. A kubeconfig that cannot be loaded is cluster.New's to
// report, after the inputs were checked.
func (f *ClusterFlags) namespace() string {
	ns, _, err := f.Kube.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return ""
	}
	return ns
}

// desiredState is what plan and apply send: the objects, and the
// directory's MeshGatewayInstances (whose live copies mean Kuma runs them).
type desiredState struct {
	Objects   []cluster.Object
	Instances []cluster.Instance
	// Findings are the expansion's (the offline check's errors stopped
	// the run before); plan puts them into the plan (findingsInPlan).
	Findings finding.List
	// Ignore are the directory's rules for fields left to others.
	Ignore []config.IgnoreRule
}

func toInstances(refs []pipeline.InstanceRef) []cluster.Instance {
	out := make([]cluster.Instance, len(refs))
	for i, r := range refs {
		out[i] = cluster.Instance{Namespace: r.Namespace, Name: r.Name, Source: r.Source, Mesh: r.Mesh, Gateway: r.Gateway}
	}
	return out
}

func toObjects(res *pipeline.Result) ([]cluster.Object, error) {
	clean, err := codec.Clean(res.Objects)
	if err != nil {
		return nil, err
	}
	out := make([]cluster.Object, len(clean))
	for i, n := range clean {
		m, err := codec.Value(n)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding as JSON: %w", source.Ref(res.Objects[i]), err)
		}
		out[i] = cluster.Object{Unstructured: &unstructured.Unstructured{Object: m}, Source: source.Position(res.Objects[i]).String()}
	}
	return out, nil
}
