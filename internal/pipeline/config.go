package pipeline

import (
	"fmt"
	"path/filepath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// configLoader is the one way a configuration is chosen among objects, for
// the commands (a directory and --config) and the KRM function (its items):
// the first ControlPlaneConfig wins, every further one is a ConfigConflict
// error, none means Kuma's defaults, and caCertFile is read relative to the
// file the winner came from.
type configLoader struct {
	// second is the message for a further configuration, given the first.
	second func(first *yaml.RNode) string
	// dir resolves the folder of the winner's file; nil keeps it.
	dir func(string) string
}

// configsAmong are the ControlPlaneConfigs among nodes, in order.
func configsAmong(nodes []*yaml.RNode) []*yaml.RNode {
	var found []*yaml.RNode
	for _, n := range nodes {
		if config.IsConfig(n) {
			found = append(found, n)
		}
	}
	return found
}

func (l configLoader) load(ctx *Context, found []*yaml.RNode) config.Config {
	if len(found) == 0 {
		return config.Default()
	}
	for _, extra := range found[1:] {
		ctx.report(finding.Finding{
			Rule: RuleConfigConflict, Severity: finding.Error, Object: source.Ref(extra), Pos: source.Position(extra),
			Message: l.second(found[0]),
		})
	}
	dir := filepath.Dir(source.Position(found[0]).File)
	if l.dir != nil {
		dir = l.dir(dir)
	}
	cfg, fs := config.FromRNode(found[0], dir)
	ctx.report(fs...)
	return cfg
}

// directoryConfigs is the loader of the commands.
var directoryConfigs = configLoader{second: func(first *yaml.RNode) string {
	return fmt.Sprintf("a second %s; the first is at %s. Keep one, or pass --config", config.Kind, source.Position(first))
}}
