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

// Options say what to read and with which cluster context.
type Options struct {
	// Paths are directories, files, or "-" for Stdin.
	Paths []string
	Stdin io.Reader
	// ConfigFile is --config: a file holding a ControlPlaneConfig. It wins
	// over one found among the inputs.
	ConfigFile       string
	DefaultNamespace string
	LiveNamespaces   []*yaml.RNode
	LiveGateways     []*yaml.RNode
}

// Result is the desired state and everything found on the way.
type Result struct {
	// Objects are the objects to apply, in apply order, still carrying kio's
	// path and index annotations (Clean removes them).
	Objects  []*yaml.RNode
	Findings finding.List
	Config   config.Config
}

// Run reads the inputs and runs the filters. The error is for inputs that
// cannot be read at all; problems in their content are findings.
func Run(opts Options) (*Result, error) {
	nodes, findings, err := source.Reader{Paths: opts.Paths, Stdin: opts.Stdin}.Read()
	if err != nil {
		return nil, err
	}
	ctx := &Context{
		DefaultNamespace: opts.DefaultNamespace,
		LiveNamespaces:   opts.LiveNamespaces,
		LiveGateways:     opts.LiveGateways,
		Findings:         findings,
	}
	cfg, err := loadConfig(ctx, nodes, opts.ConfigFile)
	if err != nil {
		return nil, err
	}
	ctx.Config = cfg
	out, err := Process(ctx, nodes)
	if err != nil {
		return nil, err
	}
	ctx.Findings.Sort()
	return &Result{Objects: out, Findings: ctx.Findings, Config: cfg}, nil
}

// Process runs the filters over nodes already read. The filters are
// kio.Filters and run as they are in any kio.Pipeline (the KRM function
// runs them inside kyaml's framework); Process calls them directly because
// kio.Pipeline reconciles its internal annotations around every filter,
// which cost a tenth of render's time on large directories and buys
// nothing here: the reader sets both annotation forms and no filter edits
// them.
func Process(ctx *Context, nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	out, err := Chain(Filters(ctx)).Filter(nodes)
	if err != nil {
		return nil, fmt.Errorf("running the expansion pipeline: %w", err)
	}
	return out, nil
}

// loadConfig finds the configuration: --config, else the one object of kind
// ControlPlaneConfig among the inputs, else Kuma's defaults.
func loadConfig(ctx *Context, nodes []*yaml.RNode, file string) (config.Config, error) {
	var found []*yaml.RNode
	for _, n := range nodes {
		if config.IsConfig(n) {
			found = append(found, n)
		}
	}
	if file != "" {
		data, err := os.ReadFile(file)
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
