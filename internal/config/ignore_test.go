package config

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestIgnoreRulesDecode(t *testing.T) {
	rn := yaml.MustParse(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata:
  name: kuma
  annotations: {` + kioutil.PathAnnotation + `: cfg.yaml}
spec:
  ignore:
  - paths: [/spec/replicas]
    target: {kind: Deployment, name: "edge-.*"}
  - paths: ["/metadata/annotations/a~1b"]
`)
	c, fs := FromRNode(rn, t.TempDir())
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(c.Ignore) != 2 || c.Ignore[0].Target.Kind != "Deployment" || c.Ignore[1].Target != nil {
		t.Fatalf("decoded %+v", c.Ignore)
	}
	if c.Ignore[0].Source() != "cfg.yaml:8:5" && c.Ignore[0].Source() != "cfg.yaml:8" {
		t.Errorf("rule 0 at %q, want cfg.yaml:8", c.Ignore[0].Source())
	}
	r := c.Ignore[0]
	for _, tc := range []struct {
		kind, name string
		want       bool
	}{{"Deployment", "edge-a", true}, {"Deployment", "edge", false}, {"Deployment", "xedge-a", false}, {"Service", "edge-a", false}} {
		if got := r.Matches("apps", "v1", tc.kind, "ns", tc.name, nil); got != tc.want {
			t.Errorf("%s/%s: matches %v, want %v", tc.kind, tc.name, got, tc.want)
		}
	}
	if !c.Ignore[1].Matches("", "v1", "ConfigMap", "ns", "any", nil) {
		t.Error("a rule without a target matches every object")
	}
	if tok, err := PointerTokens("/metadata/annotations/a~1b~0c"); err != nil || strings.Join(tok, "|") != "metadata|annotations|a/b~c" {
		t.Errorf("tokens %q %v", tok, err)
	}
}

func TestIgnoreRulesFindings(t *testing.T) {
	cases := map[string]string{
		"spec:\n  ignore: {paths: [/spec/replicas]}\n":                                "spec.ignore: must be a list, not a map",
		"spec:\n  ignore:\n  - path: [/spec/replicas]\n":                              `spec.ignore[0].path: ControlPlaneConfig has no field "path" here (allowed: paths, target)`,
		"spec:\n  ignore:\n  - target: {kind: Deployment}\n":                          "spec.ignore[0].paths: a rule needs paths",
		"spec:\n  ignore:\n  - paths: [spec.replicas]\n":                              `spec.ignore[0].paths[0]: "spec.replicas" is not a JSON pointer`,
		"spec:\n  ignore:\n  - paths: [/spec/replicas, /a~2]\n":                       `spec.ignore[0].paths[1]: "/a~2": a ~ must be written ~0`,
		"spec:\n  ignore:\n  - paths: [/spec/replicas]\n    target: {knd: Service}\n": `spec.ignore[0].target.knd: ControlPlaneConfig has no field "knd" here (allowed: group, kind, labelSelector, name, namespace, version)`,
		"spec:\n  ignore:\n  - paths: [/spec/replicas]\n    target: {name: \"(\"}\n":  `spec.ignore[0].target.name: "(" is not a regular expression`,
		"spec:\n  ignore:\n  - paths: [/x]\n    target: {labelSelector: \"a in\"}\n":  "spec.ignore[0].target.labelSelector: ",
	}
	for body, want := range cases {
		rn := yaml.MustParse("apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata: {name: kuma}\n" + body)
		_, fs := FromRNode(rn, t.TempDir())
		if len(fs) == 0 {
			t.Errorf("%q: no finding, want %q", body, want)
			continue
		}
		got := fs[0].Field + ": " + fs[0].Message
		if !strings.HasPrefix(got, want) || fs[0].Pos.Line < 4 {
			t.Errorf("%q: got %q at line %d, want prefix %q at the rule's line", body, got, fs[0].Pos.Line, want)
		}
	}
}

func TestIgnoreIsNotAConfigMapKey(t *testing.T) {
	rn := yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ignore: /spec/replicas\n")
	_, fs := FromConfigMap(rn, t.TempDir())
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "write the configuration as a ControlPlaneConfig") {
		t.Fatalf("findings: %v", fs)
	}
	for _, k := range ConfigMapKeys() {
		if strings.HasPrefix(k, "ignore") {
			t.Errorf("ConfigMapKeys lists %q", k)
		}
	}
}
