package pipeline

import (
	"fmt"
	"path/filepath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// RuleInvalidFunctionConfig: the functionConfig is not a ControlPlaneConfig,
// or its generator inputs cannot be read.
const RuleInvalidFunctionConfig = "InvalidFunctionConfig"

// load decides the configuration and the function's settings, and gathers
// the objects to expand: the items followed by the generator inputs. The
// functionConfig wins over a ControlPlaneConfig among the items, as
// --config wins over one in a directory; without a functionConfig (or with
// an empty ConfigMap, as kustomize fn run sends) the items may hold one,
// and without either Kuma's defaults apply.
func (f *Function) load(ctx *Context, rl *framework.ResourceList) ([]*yaml.RNode, settings, error) {
	fc := rl.FunctionConfig
	if isEmptyObject(fc) || isEmptyConfigMap(fc) {
		ctx.Config = f.itemsConfig(ctx, rl.Items)
		return rl.Items, readSettings(ctx, nil), nil
	}
	forgetLines(fc)
	if !config.IsConfig(fc) && !config.IsConfigMap(fc) {
		ctx.report(finding.Finding{
			Rule: RuleInvalidFunctionConfig, Severity: finding.Error, Object: source.Ref(fc),
			Message: fmt.Sprintf("the functionConfig must be a %s (apiVersion %s) or a ConfigMap whose data keys are its fields, not %s %s; see docs/krm-function.md",
				config.Kind, config.APIVersion, fc.GetApiVersion(), fc.GetKind()),
		})
		ctx.Config = config.Default()
		return rl.Items, readSettings(ctx, nil), nil
	}
	s := readSettings(ctx, fc)
	for _, n := range rl.Items {
		// kustomize hands a generator its own config as an item, too.
		if config.IsConfig(n) && source.Ref(n) != source.Ref(fc) {
			ctx.report(finding.Finding{
				Rule: RuleConfigConflict, Severity: finding.Info, Object: source.Ref(n), Pos: source.Position(n),
				Message: fmt.Sprintf("not used: the functionConfig %s/%s is the configuration; this object is only removed from the output", fc.GetKind(), fc.GetName()),
			})
		}
	}
	inputs, err := f.readInputs(ctx, fc, s)
	if err != nil {
		return nil, s, err
	}
	var cfg config.Config
	var fs finding.List
	if config.IsConfigMap(fc) {
		cfg, fs = config.FromConfigMap(fc, f.dir("."), dataMode, dataInputs)
	} else {
		cfg, fs = config.FromRNode(fc, f.dir("."))
	}
	ctx.report(fs...)
	ctx.Config = cfg
	return append(append([]*yaml.RNode{}, rl.Items...), inputs...), s, nil
}

// itemsConfig is loadConfig for items: the one ControlPlaneConfig among
// them, its caCertFile relative to the file it came from (if the
// orchestrator said) under WorkDir.
func (f *Function) itemsConfig(ctx *Context, items []*yaml.RNode) config.Config {
	return configLoader{
		second: func(first *yaml.RNode) string {
			return fmt.Sprintf("a second %s among the items; the first is %s. Keep one, or make it the functionConfig", config.Kind, source.Ref(first))
		},
		dir: f.dir,
	}.load(ctx, configsAmong(items))
}

// dir resolves a path relative to the kustomization (WorkDir).
func (f *Function) dir(p string) string {
	if filepath.IsAbs(p) || f.WorkDir == "" {
		return p
	}
	return filepath.Join(f.WorkDir, p)
}

// isEmptyObject is true when there is no functionConfig: kpt sends none,
// some orchestrators send null or {}.
func isEmptyObject(rn *yaml.RNode) bool {
	if rn == nil || yaml.IsMissingOrNull(rn) {
		return true
	}
	n := rn.YNode()
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return n.Kind == yaml.MappingNode && len(n.Content) == 0
}
