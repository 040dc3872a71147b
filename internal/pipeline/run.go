package pipeline

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleConfigConflict: more than one configuration object was given.
const RuleConfigConflict = "ConfigConflict"

// Options say what to read and how.
type Options struct {
	// Paths are directories, files, or "-" for Stdin.
	Paths []string
	Stdin io.Reader
	// ConfigFile is --config: a file holding a ControlPlaneConfig. It wins
	// over one found among the inputs.
	ConfigFile string
	// DefaultNamespace is the namespace of instances that name none; ""
	// means DefaultNamespace.
	DefaultNamespace string
	// ReadFile reads one input file (and --config); nil means os.ReadFile.
	// A seam for tests that count reads.
	ReadFile func(path string) ([]byte, error)
}

// Result is the desired state and everything found on the way.
type Result struct {
	// Objects are the objects to apply, in apply order, still carrying kio's
	// path and index annotations (Clean removes them).
	Objects  []*yaml.RNode
	Findings finding.List
	Config   config.Config
}

// Inputs are the inputs read, their configuration loaded, and every
// MeshGatewayInstance and MeshGateway decoded and validated: everything that
// needs no cluster, done once. Expand finishes the work.
type Inputs struct {
	ctx   *Context
	items []checked
}

// Read reads the inputs, loads the configuration and validates every Kuma
// object. The error is for inputs that cannot be read at all; problems in
// their content are findings (Inputs.Findings).
func Read(opts Options) (*Inputs, error) {
	nodes, findings, err := source.Reader{Paths: opts.Paths, Stdin: opts.Stdin, ReadFile: opts.ReadFile}.Read()
	if err != nil {
		return nil, err
	}
	ctx := &Context{DefaultNamespace: opts.DefaultNamespace, Findings: findings}
	cfg, err := loadConfig(ctx, nodes, opts.ConfigFile, opts.ReadFile)
	if err != nil {
		return nil, err
	}
	ctx.Config = cfg
	return &Inputs{ctx: ctx, items: validate(ctx, nodes)}, nil
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
	out, err := Sort{}.Filter(expand(in.ctx, in.items, live))
	if err != nil {
		return nil, err
	}
	in.ctx.Findings.Sort()
	return &Result{Objects: out, Findings: in.ctx.Findings, Config: in.ctx.Config}, nil
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
	var found []*yaml.RNode
	for _, n := range nodes {
		if config.IsConfig(n) {
			found = append(found, n)
		}
	}
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
	if len(found) == 0 {
		return config.Default(), nil
	}
	for _, extra := range found[1:] {
		ctx.report(finding.Finding{
			Rule: RuleConfigConflict, Severity: finding.Error, Object: source.Ref(extra), Pos: source.Position(extra),
			Message: fmt.Sprintf("a second %s; the first is at %s. Keep one, or pass --config", config.Kind, source.Position(found[0])),
		})
	}
	cfg, fs := config.FromRNode(found[0], filepath.Dir(source.Position(found[0]).File))
	ctx.report(fs...)
	return cfg, nil
}
