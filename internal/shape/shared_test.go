package shape

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// deployments are n Deployments (named d0, d1, ...) whose
// spec.template.spec is one node, as the expansion shares it.
func deployments(t *testing.T, n int, podSpec string) []*yaml.RNode {
	t.Helper()
	spec := yaml.MustParse(podSpec).YNode()
	var out []*yaml.RNode
	for i := range n {
		d := yaml.MustParse(fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\n  namespace: ns\nspec:\n  template:\n    metadata:\n      labels:\n        app: d%d\n    spec: {}\n", i, i))
		tmpl, err := d.Pipe(yaml.Lookup("spec", "template"))
		if err != nil {
			t.Fatal(err)
		}
		tmpl.YNode().Content[3] = spec
		out = append(out, d)
	}
	return out
}

// TestSharedReportsWhatCheckReports: with a shared pod spec checked once,
// every object still gets Check's findings, its own name on them.
func TestSharedReportsWhatCheckReports(t *testing.T) {
	specs := map[string]string{
		"valid":     "containers:\n- name: c\n  resources:\n    limits: {cpu: '1'}\n    requests: {cpu: 50m}\n",
		"invalid":   "containers:\n- name: c\n  resources:\n    limits: {cpu: 100m, memory: lots}\n    requests: {cpu: '2'}\n- name: d\n  resources:\n    requests: {memory: -1Mi}\n",
		"too-large": "containers:\n- name: c\n  args:\n  - " + strings.Repeat("x", MaxObjectSize) + "\n",
	}
	for name, spec := range specs {
		var s Shared
		objs := deployments(t, 3, spec)
		for _, d := range objs {
			got, want := s.Check(d), Check(d)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: shared check found\n%v\nwant\n%v", name, d.GetName(), got, want)
			}
			if name != "valid" && len(want) == 0 {
				t.Errorf("%s: no findings: the case checks nothing", name)
			}
		}
		if len(s.pods) != 1 {
			t.Errorf("%s: %d pod specs remembered, want the one shared", name, len(s.pods))
		}
	}
}
