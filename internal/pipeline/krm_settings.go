package pipeline

import (
	"fmt"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// AnnotationMode on the functionConfig chooses what the function does:
// ModeExpand (the default) or ModeValidate. Like the inputs, it says how
// the function runs, not how Kuma builds a gateway, so it is an
// annotation; a ConfigMap functionConfig may set it as its data key
// "mode" instead.
const AnnotationMode = "kubectl-mgi.kuma.io/mode"

// Function modes.
const (
	// ModeExpand replaces every MeshGatewayInstance (transformers:,
	// generators:).
	ModeExpand = "expand"
	// ModeValidate returns the items unchanged with the findings as results
	// (validators:, which must not change the resources).
	ModeValidate = "validate"
)

// Data keys of a ConfigMap functionConfig that set the function's own
// settings rather than the configuration.
const (
	dataMode   = "mode"
	dataInputs = "inputs"
)

// RuleNothingToExpand: the function got no objects and names no inputs,
// as a generator without kubectl-mgi.kuma.io/inputs does.
const RuleNothingToExpand = "NothingToExpand"

// RuleUnexpandedInstance: a MeshGatewayInstance reached a validator, that
// is the end of a kustomize build, without being expanded.
const RuleUnexpandedInstance = "UnexpandedInstance"

// settings are the function's own settings, from its functionConfig.
type settings struct {
	mode   string
	inputs []string
	// field names where the settings were read, for findings.
	modeField, inputsField string
	// configured is false when there is no functionConfig (or an empty
	// one): then the function is not a generator, and an empty list is
	// just an empty list.
	configured bool
}

// readSettings reads mode and inputs from the functionConfig's annotations,
// or from a ConfigMap's data keys. A mode it does not know is an error:
// a typo must not silently expand what was meant to be only checked.
func readSettings(ctx *Context, fc *yaml.RNode) settings {
	s := settings{mode: ModeExpand, modeField: "metadata.annotations." + AnnotationMode, inputsField: "metadata.annotations." + AnnotationInputs}
	if fc == nil {
		return s
	}
	s.configured = true
	ann := fc.GetAnnotations()
	mode, inputs := ann[AnnotationMode], ann[AnnotationInputs]
	if config.IsConfigMap(fc) {
		if v, err := fc.Pipe(yaml.Lookup("data", dataMode)); err == nil && v != nil && mode == "" {
			mode, s.modeField = v.YNode().Value, "data."+dataMode
		}
		if v, err := fc.Pipe(yaml.Lookup("data", dataInputs)); err == nil && v != nil && inputs == "" {
			inputs, s.inputsField = v.YNode().Value, "data."+dataInputs
		}
	}
	switch m := strings.TrimSpace(mode); m {
	case "", ModeExpand:
	case ModeValidate:
		s.mode = ModeValidate
	default:
		ctx.report(finding.Finding{
			Rule: RuleInvalidFunctionConfig, Severity: finding.Error, Object: source.Ref(fc), Field: s.modeField,
			Message: fmt.Sprintf("mode %q is not known; use %s (the default: expand every MeshGatewayInstance) or %s (under validators:, report only)", m, ModeExpand, ModeValidate),
		})
	}
	s.inputs = splitInputs(inputs)
	return s
}

// isEmptyConfigMap is a ConfigMap that sets nothing, as kustomize fn run
// sends when given no --fn-config: it means "no functionConfig".
func isEmptyConfigMap(fc *yaml.RNode) bool {
	if !config.IsConfigMap(fc) {
		return false
	}
	ann := fc.GetAnnotations()
	if ann[AnnotationMode] != "" || ann[AnnotationInputs] != "" {
		return false
	}
	for _, f := range []string{"data", "binaryData"} {
		if v := fc.Field(f); v != nil && !isEmptyObject(v.Value) {
			return false
		}
	}
	return true
}

// unexpanded reports every instance among the items of a validator: the
// validator runs after every transformer, so the instance would be applied
// as it is.
func unexpanded(ctx *Context, items []*yaml.RNode) {
	for _, n := range items {
		if !isInstance(n) {
			continue
		}
		ctx.report(finding.Finding{
			Rule: RuleUnexpandedInstance, Severity: finding.Error, Object: source.Ref(n), Pos: source.Position(n),
			Message: "reached the end of the kustomize build unexpanded: add kubectl-mgi's function under transformers: in the kustomization that lists this instance (a config without mode: validate), or build with kubectl mgi render -k",
		})
	}
}

// nothingToExpand reports a function that has nothing to work on: no
// items but its own config, and no inputs. As a generator that is a
// missing inputs annotation; as a transformer, an empty kustomization.
func nothingToExpand(ctx *Context, fc *yaml.RNode, items []*yaml.RNode, s settings) {
	if !s.configured || len(s.inputs) > 0 {
		return
	}
	for _, n := range items {
		if !isFunctionConfigItem(n, fc) {
			return
		}
	}
	ctx.report(finding.Finding{
		Rule: RuleNothingToExpand, Severity: finding.Error, Object: source.Ref(fc), Field: s.inputsField,
		Message: fmt.Sprintf("nothing to expand: the function got no objects and its config names no inputs. As a generator, name the folders to read: annotation %s: DIR[,DIR...] (relative to the kustomization); as a transformer, list the gateways under resources:", AnnotationInputs),
	})
}

// isFunctionConfigItem is true for the functionConfig's own copy among the
// items (kustomize hands a generator its config as an item, marked
// local-config) and for a ControlPlaneConfig, which is configuration, not
// an object to expand.
func isFunctionConfigItem(n, fc *yaml.RNode) bool {
	if config.IsConfig(n) {
		return true
	}
	if fc == nil || source.Ref(n) != source.Ref(fc) {
		return false
	}
	a := n.GetAnnotations()
	return a[functionAnnotation] != "" || a[localConfigAnnotation] == "true"
}

// functionAnnotation is how kustomize and kpt mark a function's config.
const functionAnnotation = "config.kubernetes.io/function"
