package docgen

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kustomize"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
	"github.com/kubectl-mgi/kubectl-mgi/internal/shape"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// Rule is one row of docs/rules.md.
type Rule struct {
	ID          string
	Severity    finding.Severity
	Description string
	// Stage says which step reports it: reading, configuration, gateway, pipeline.
	Stage string
}

// readerRules are the findings of the packages that have only rule ids,
// not a Rules list. The ids come from the constants, so a renamed rule
// fails to compile here instead of leaving a stale row.
var readerRules = []Rule{
	{source.RuleInvalidYAML, finding.Error, "A document is not well-formed YAML. The finding gives the line the YAML parser stopped at.", "reading"},
	{source.RuleNotAnObject, finding.Error, "A document lacks apiVersion, kind or metadata.name, so it cannot be applied or matched.", "reading"},
	{source.RuleDuplicateObject, finding.Error, "Two documents name the same group, kind, namespace and name, or a document has those of a Deployment or Service generated from an instance (an object without a namespace counts in the instances' default namespace); which one wins would depend on file order, and apply would never converge.", "reading"},
	{source.RuleKustomizationSkipped, finding.Info, "A kustomization.yaml (or .yml, or Kustomization) met while reading a directory is not an object: it is skipped, and -k builds it.", "reading"},
	{kustomize.RuleFunctionTakenOut, finding.Info, "-k took kubectl-mgi's function out of the kustomization's build and expands the result itself, with the function's config.", "reading"},
	{config.RuleInvalidConfig, finding.Error, "The ControlPlaneConfig object has an unknown field, a wrong type or a value Kuma would refuse (see configuration.md).", "configuration"},
	{config.RuleSettingNotInRelease, finding.Warning, "A ControlPlaneConfig setting that the chosen Kuma release does not have (for example otelPipe before 2.14); it is ignored. See kuma-versions.md.", "configuration"},
	{pipeline.RuleConfigConflict, finding.Error, "More than one ControlPlaneConfig was given (in the inputs, or in the inputs and --config); keep one.", "configuration"},
	{pipeline.RuleInvalidFunctionConfig, finding.Error, "The KRM function's functionConfig is neither a ControlPlaneConfig nor a ConfigMap, names an unknown mode, or names generator inputs that cannot be read.", "configuration"},
	{pipeline.RuleNothingToExpand, finding.Error, "The KRM function got no objects and its config names no inputs: a generator without the kubectl-mgi.kuma.io/inputs annotation.", "pipeline"},
	{pipeline.RuleUnexpandedInstance, finding.Error, "A MeshGatewayInstance reached the function in validate mode, the end of a kustomize build, unexpanded: it is listed where no transformer expands it.", "pipeline"},
	{pipeline.RuleImplicitNamespace, finding.Info, "A MeshGatewayInstance names no namespace: it (and its Deployment and Service) goes to -n, else the kubeconfig context's namespace, else default, the same rule in validate, render, plan and apply.", "pipeline"},
	{pipeline.RuleExpansionFailed, finding.Error, "An expanded object could not be encoded. This is a bug in kubectl mgi: please report it with the input.", "pipeline"},
	{cluster.RulePruneRefused, finding.Error, "plan --applyset: apply --prune would refuse the planned deletions (the inputs render no objects, or more than --prune-threshold of the set would go); nothing is deleted until the inputs are fixed or the flag says so (see cluster.md).", "plan (cluster)"},
	{cluster.RulePruneForbidden, finding.Warning, "plan --applyset: a SelfSubjectAccessReview says you may not delete some of the members apply --prune would delete; the warning names the resource, the namespace and the rule to grant. A review the server does not answer is an info finding.", "plan (cluster)"},
	{cluster.RulePruneKept, finding.Info, "A member of the ApplySet is no longer in the inputs but is never pruned: the Namespace of the ApplySet parent, or an object annotated kubectl-mgi.kuma.io/prune: disabled.", "plan (cluster)"},
	{cluster.RuleFieldsLeftToOthers, finding.Info, "A field the directory renders is left to another manager (a HorizontalPodAutoscaler targets the Deployment, another manager wrote spec.replicas through the scale subresource, or a spec.ignore rule matches): it is not applied, not compared and never taken over (see cluster.md).", "plan (cluster)"},
	{cluster.RuleUnnamedApplySet, finding.Warning, "Objects of the inputs are live members of an ApplySet, but none is named: their part-of label is kept and no deletions are planned; name the set to manage it.", "plan (cluster)"},
}

// Rules is every rule a finding can carry, sorted by id.
func Rules() []Rule {
	rules := append([]Rule(nil), readerRules...)
	for _, r := range gateway.Rules {
		rules = append(rules, Rule{ID: r.ID, Severity: r.Severity, Description: r.Description, Stage: "gateway"})
	}
	for _, r := range shape.Rules {
		rules = append(rules, Rule{ID: r.ID, Severity: r.Severity, Description: r.Description, Stage: "object shape"})
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules
}

// RulesPage is docs/rules.md.
func RulesPage(rules []Rule) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(generatedNote)
	buf.WriteString(`# Validation rules

Every finding of ` + "`kubectl mgi validate`" + ` (and of render, plan, apply and the KRM
function, which run the same checks) names one of these rules. Errors stop the
run: nothing is rendered or applied. Warnings are reported and fail only with
` + "`validate --strict`" + `. The rule id is stable: filter on it in scripts
(` + "`validate -o json`" + ` puts it in the ` + "`rule`" + ` field).

| rule | severity | checked while | what it means |
|---|---|---|---|
`)
	seen := map[string]bool{}
	for _, r := range rules {
		if r.ID == "" || r.Description == "" {
			return nil, fmt.Errorf("docgen: rule %q has no id or description", r.ID)
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("docgen: rule %q is listed twice; rule ids must be unique", r.ID)
		}
		seen[r.ID] = true
		fmt.Fprintf(&buf, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, r.Stage, escapeCell(r.Description))
	}
	return buf.Bytes(), nil
}

// escapeCell keeps a description inside its table cell.
func escapeCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
