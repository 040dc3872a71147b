package pipeline

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kustomize"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleConfigConflict: more than one configuration object was given.
const RuleConfigConflict = "ConfigConflict"

// Options say what to read and how.
type Options struct {
	// Paths are directories, files, or "-" for Stdin.
	Paths []string
	// Kustomization is -k: a directory whose kustomization is built with
	// kustomize's API and expanded instead of Paths.
	Kustomization string
	Stdin         io.Reader
	// ConfigFile is --config: a file holding a ControlPlaneConfig. It wins
	// over one found among the inputs.
	ConfigFile string
	// KumaVersion is --kuma-version: the Kuma release to build for. It wins
	// over the configuration's spec.kumaVersion; "" keeps that (or the default).
	KumaVersion string
	// DefaultNamespace is the namespace of instances that name none; ""
	// means object.DefaultNamespace.
	DefaultNamespace string
	// ReadFile reads one input file (and --config); nil means os.ReadFile.
	// A seam for tests that count reads.
	ReadFile func(path string) ([]byte, error)
	// MaxFileSize is the largest input file read; 0 is the reader's default.
	MaxFileSize int64
	// MaxInputSize bounds all input files together; 0 is the reader's default.
	MaxInputSize int64
}

// Result is the desired state and everything found on the way.
type Result struct {
	// Objects are the objects to apply, in apply order, still carrying kio's
	// path and index annotations (Clean removes them).
	Objects  []*yaml.RNode
	Findings finding.List
	Config   config.Config
	// Build is the kustomize build of -k, or nil; render -k writes through
	// it, in kustomize's order and encoding.
	Build *kustomize.Build
	// Instances are the directory's MeshGatewayInstances that decoded, in
	// input order, with the namespace they expand into: plan and apply look
	// for live copies of them (Kuma's controller running them).
	Instances []InstanceRef
}

// InstanceRef names one MeshGatewayInstance of the inputs and where it is.
type InstanceRef struct {
	Namespace, Name, Source string
	// Mesh is the mesh it resolved to and Gateway the MeshGateway it
	// matched ("" when none did: Kuma builds nothing for it). Both are
	// set by Expand.
	Mesh, Gateway string
}

// Inputs are the inputs read, their configuration loaded, and every
// MeshGatewayInstance and MeshGateway decoded and validated: everything that
// needs no cluster, done once. Expand finishes the work.
type Inputs struct {
	ctx   *Context
	items []checked
	build *kustomize.Build
}

// Read reads the inputs, loads the configuration and validates every Kuma
// object. The error is for inputs that cannot be read at all; problems in
// their content are findings (Inputs.Findings).
func Read(opts Options) (*Inputs, error) {
	nodes, findings, build, err := read(opts)
	if err != nil {
		return nil, err
	}
	ctx := &Context{DefaultNamespace: opts.DefaultNamespace, Findings: findings}
	var cfg config.Config
	if build != nil && build.Function != nil {
		cfg, err = functionConfig(ctx, build, opts.ConfigFile)
	} else {
		cfg, err = loadConfig(ctx, nodes, opts.ConfigFile, opts.ReadFile)
	}
	if err != nil {
		return nil, err
	}
	ctx.Config = cfg
	if err := useRelease(ctx, opts.KumaVersion); err != nil {
		return nil, err
	}
	return &Inputs{ctx: ctx, items: validate(ctx, nodes), build: build}, nil
}

// Findings are what reading and validating found so far, sorted. Callers
// that talk to a cluster stop here when they hold an error, before any
// request.
func (in *Inputs) Findings() finding.List {
	fs := append(finding.List(nil), in.ctx.Findings...)
	fs.Sort()
	return fs
}

// Expand matches and expands the inputs with what the cluster adds (the
// zero Live for none) and sorts the result into apply order. Its findings
// are all of them: reading, validation and expansion. Call it once.
func (in *Inputs) Expand(live Live) (*Result, error) {
	if live.NodePortRange != "" && !in.ctx.Config.NodePortRangeSet() {
		in.ctx.Config.NodePortRange = live.NodePortRange
	}
	objs, refs, matches := expand(in.ctx, in.items, live)
	out := sortByRef(objs, refs)
	in.ctx.Findings.Sort()
	insts := in.instances()
	for i, c := range in.instanceItems() {
		insts[i].Mesh, insts[i].Gateway = matches[c.node].mesh, matches[c.node].gateway
	}
	return &Result{Objects: out, Findings: in.ctx.Findings, Config: in.ctx.Config, Build: in.build, Instances: insts}, nil
}

// read reads the inputs: the files and folders of Paths, or the build of
// the kustomization -k names.
func read(opts Options) ([]*yaml.RNode, finding.List, *kustomize.Build, error) {
	if opts.Kustomization == "" {
		nodes, findings, err := source.Reader{Paths: opts.Paths, Stdin: opts.Stdin, ReadFile: opts.ReadFile, MaxFileSize: opts.MaxFileSize, MaxInputSize: opts.MaxInputSize}.Read()
		return nodes, findings, nil, err
	}
	if len(opts.Paths) > 0 {
		return nil, nil, nil, fmt.Errorf("-k %s and the paths %s: give one or the other (to expand both, list the paths under the kustomization's resources:)", opts.Kustomization, strings.Join(opts.Paths, " "))
	}
	b, err := kustomize.Run(opts.Kustomization)
	if err != nil {
		return nil, nil, nil, err
	}
	return b.Objects, append(finding.List{}, b.Findings...), b, nil
}

// functionConfig is the configuration of a -k build whose kustomization
// lists kubectl-mgi's function: the function's own config, a
// ControlPlaneConfig or a ConfigMap, relative to the kustomization as the
// function would read it.
func functionConfig(ctx *Context, b *kustomize.Build, file string) (config.Config, error) {
	fc := b.Function
	if file != "" {
		return config.Config{}, fmt.Errorf("--config %s: the kustomization in %s lists kubectl-mgi's function, whose config is the configuration; pass one or the other", file, b.Dir)
	}
	var cfg config.Config
	var fs finding.List
	if config.IsConfigMap(fc) {
		cfg, fs = config.FromConfigMap(fc, b.Dir, dataMode, dataInputs)
	} else {
		cfg, fs = config.FromRNode(fc, b.Dir)
	}
	ctx.report(fs...)
	return cfg, nil
}

// instances lists the decoded instances with their namespaces defaulted as
// the expansion defaults them.
func (in *Inputs) instances() []InstanceRef {
	var out []InstanceRef
	for _, c := range in.instanceItems() {
		ns := c.instance.Namespace
		if ns == "" {
			ns = in.ctx.namespace()
		}
		out = append(out, InstanceRef{Namespace: ns, Name: c.instance.Name, Source: source.Position(c.node).String()})
	}
	return out
}

// UsesNodePort reports whether an instance asks for a NodePort Service,
// whose ports the cluster's node-port range limits.
func (in *Inputs) UsesNodePort() bool {
	for _, c := range in.instanceItems() {
		if c.instance.Spec.ServiceType == corev1.ServiceTypeNodePort {
			return true
		}
	}
	return false
}

// instanceItems are the inputs that decoded as instances, in input order.
func (in *Inputs) instanceItems() []checked {
	var out []checked
	for _, c := range in.items {
		if c.instance != nil {
			out = append(out, c)
		}
	}
	return out
}

// useRelease settles the Kuma release: --kuma-version (when given) over
// spec.kumaVersion, then warns about settings that release lacks.
func useRelease(ctx *Context, flag string) error {
	if flag != "" {
		if _, err := kuma.Lookup(flag); err != nil {
			return fmt.Errorf("--kuma-version: %w", err)
		}
		ctx.Config.KumaVersion = flag
	}
	ctx.report(ctx.Config.CheckRelease()...)
	return nil
}

// Run reads and expands without a cluster (render, validate).
func Run(opts Options) (*Result, error) {
	in, err := Read(opts)
	if err != nil {
		return nil, err
	}
	return in.Expand(Live{})
}

// Process runs the filters over nodes already read (the KRM function). The
// filters are kio.Filters and run as they are in any kio.Pipeline; Process
// calls them directly because kio.Pipeline reconciles its internal
// annotations around every filter, which cost a tenth of render's time on
// large directories and buys nothing here: the reader sets both annotation
// forms and no filter edits them.
func Process(ctx *Context, nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	out, err := Chain(Filters(ctx)).Filter(nodes)
	if err != nil {
		return nil, fmt.Errorf("running the expansion pipeline: %w", err)
	}
	return out, nil
}

// loadConfig finds the configuration: --config, else the one object of kind
// ControlPlaneConfig among the inputs, else Kuma's defaults.
func loadConfig(ctx *Context, nodes []*yaml.RNode, file string, readFile func(string) ([]byte, error)) (config.Config, error) {
	if readFile == nil {
		readFile = os.ReadFile
	}
	found := configsAmong(nodes)
	if file != "" {
		data, err := readFile(file)
		if err != nil {
			return config.Config{}, fmt.Errorf("--config %s: %w", file, err)
		}
		ns, fs := source.ReadBytes(data, filepath.ToSlash(file))
		ctx.report(fs...)
		if len(ns) != 1 || !config.IsConfig(ns[0]) {
			return config.Config{}, fmt.Errorf("--config %s: the file must hold exactly one %s (apiVersion %s)", file, config.Kind, config.APIVersion)
		}
		found = ns
	}
	return directoryConfigs.load(ctx, found), nil
}

// Config is the configuration the inputs were read with (the directory's
// ControlPlaneConfig, --config, or the defaults).
func (in *Inputs) Config() config.Config { return in.ctx.Config }
