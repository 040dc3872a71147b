package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// IgnoreRule says that fields the tool renders belong to someone else (an
// autoscaler, an operator, a person with kubectl edit): they are left out
// of what plan and apply send and compare, and never taken over. It is
// Flux's drift-ignore rule: JSON pointers (RFC 6901) and a target.
type IgnoreRule struct {
	// Paths are JSON pointers into the object, such as /spec/replicas.
	Paths []string `json:"paths"`
	// Target selects the objects; nil (or empty) is every object.
	Target *IgnoreTarget `json:"target,omitempty"`
	// source is where the rule is written (file:line), for messages.
	source string
}

// Source is where the rule is written (file:line).
func (r IgnoreRule) Source() string { return r.source }

// WithSource is the rule written at source (for rules made in code).
func (r IgnoreRule) WithSource(source string) IgnoreRule {
	r.source = source
	return r
}

// IgnoreTarget selects objects as a kustomize (and Flux) selector does:
// group, version and kind exactly, name and namespace as anchored regular
// expressions (an exact name matches itself), labels by a selector.
type IgnoreTarget struct {
	Group         string `json:"group,omitempty"`
	Version       string `json:"version,omitempty"`
	Kind          string `json:"kind,omitempty"`
	Name          string `json:"name,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	LabelSelector string `json:"labelSelector,omitempty"`
}

// Matches reports whether the rule applies to the object with this
// apiVersion's group and version, kind, namespace, name and labels. The
// rule was checked when it was decoded, so a pattern that does not
// compile cannot occur there; here it matches nothing.
func (r IgnoreRule) Matches(group, version, kind, namespace, name string, objLabels map[string]string) bool {
	t := r.Target
	if t == nil {
		return true
	}
	switch {
	case t.Group != "" && t.Group != group, t.Version != "" && t.Version != version, t.Kind != "" && t.Kind != kind:
		return false
	case t.Name != "" && !anchored(t.Name, name), t.Namespace != "" && !anchored(t.Namespace, namespace):
		return false
	}
	if t.LabelSelector != "" {
		sel, err := labels.Parse(t.LabelSelector)
		if err != nil || !sel.Matches(labels.Set(objLabels)) {
			return false
		}
	}
	return true
}

func anchored(pattern, s string) bool {
	ok, err := regexp.MatchString("^(?:"+pattern+")$", s)
	return err == nil && ok
}

// PointerTokens splits a JSON pointer ("/spec/replicas") into its
// unescaped reference tokens (~1 is /, ~0 is ~).
func PointerTokens(p string) ([]string, error) {
	if !strings.HasPrefix(p, "/") || p == "/" {
		return nil, fmt.Errorf("%q is not a JSON pointer to a field; write it like /spec/replicas", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		if t == "" {
			return nil, fmt.Errorf("%q has an empty step; write it like /spec/replicas", p)
		}
		if !escapesOK(t) {
			return nil, fmt.Errorf("%q: a ~ must be written ~0 and a / inside a name ~1 (RFC 6901)", p)
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// escapesOK reports whether every ~ in a token starts ~0 or ~1.
func escapesOK(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] == '~' && (i+1 == len(t) || t[i+1] != '0' && t[i+1] != '1') {
			return false
		}
	}
	return true
}

// checkIgnore checks what the strict decoder cannot: a rule without
// paths, paths that are not JSON pointers, names and selectors that do not
// parse. It reads the node, so that each finding has its line.
func checkIgnore(spec *yaml.RNode, report func(string, string) finding.Finding) finding.List {
	f := spec.Field("ignore")
	if f == nil || yaml.IsMissingOrNull(f.Value) {
		return nil
	}
	var out finding.List
	for i, item := range f.Value.YNode().Content {
		at := fmt.Sprintf("spec.ignore[%d]", i)
		out = append(out, checkIgnoreRule(yaml.NewRNode(item), at, report)...)
	}
	return out
}

func checkIgnoreRule(rule *yaml.RNode, at string, report func(string, string) finding.Finding) finding.List {
	var out finding.List
	paths := rule.Field("paths")
	if paths == nil || paths.Value.YNode().Kind != yaml.SequenceNode || len(paths.Value.YNode().Content) == 0 {
		return finding.List{report(at+".paths", "a rule needs paths: a list of JSON pointers such as /spec/replicas")}
	}
	for j, p := range paths.Value.YNode().Content {
		field := fmt.Sprintf("%s.paths[%d]", at, j)
		if p.Kind != yaml.ScalarNode {
			out = append(out, report(field, "a path is a string, a JSON pointer such as /spec/replicas"))
			continue
		}
		if _, err := PointerTokens(p.Value); err != nil {
			out = append(out, report(field, err.Error()))
		}
	}
	t := rule.Field("target")
	if t == nil || yaml.IsMissingOrNull(t.Value) {
		return out
	}
	for _, k := range []string{"name", "namespace"} {
		if v := t.Value.Field(k); v != nil {
			if _, err := regexp.Compile("^(?:" + v.Value.YNode().Value + ")$"); err != nil {
				out = append(out, report(at+".target."+k, fmt.Sprintf("%q is not a regular expression: %v; an exact name matches itself", v.Value.YNode().Value, err)))
			}
		}
	}
	if v := t.Value.Field("labelSelector"); v != nil {
		if _, err := labels.Parse(v.Value.YNode().Value); err != nil {
			out = append(out, report(at+".target.labelSelector", fmt.Sprintf("%v; write it as kubectl's -l, for example app=edge", err)))
		}
	}
	return out
}
