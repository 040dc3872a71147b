package shape

import (
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// podSpecs checks the pod template of workload kinds: its labels and
// annotations, and each container's resources, as the API server's pod
// validation does.
func (c *checker) podSpecs(obj *yaml.Node, kind string) {
	var tmplPath string
	switch kind {
	case "Pod":
		c.containers(obj, "spec")
		return
	case "CronJob":
		tmplPath = "spec.jobTemplate.spec.template"
	default:
		tmplPath = "spec.template"
	}
	tmpl := at(obj, tmplPath)
	if tmpl == nil {
		return
	}
	_, meta := source.Step(tmpl, "metadata")
	c.metadata(meta, tmplPath+".metadata")
	c.podSpec(tmpl, tmplPath+".spec")
}

func (c *checker) containers(parent *yaml.Node, specPath string) {
	spec := at(parent, lastStep(specPath))
	if spec == nil {
		return
	}
	for _, list := range []string{"initContainers", "containers"} {
		_, l := source.Step(spec, list)
		if l == nil || l.Kind != yaml.SequenceNode {
			continue
		}
		for i, ctr := range l.Content {
			c.resources(ctr, fmt.Sprintf("%s.%s[%d].resources", specPath, list, i))
		}
	}
}

// resources checks one container's resources: every quantity parses and is
// not negative, and no request exceeds its limit.
func (c *checker) resources(ctr *yaml.Node, fieldPath string) {
	_, res := source.Step(ctr, "resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return
	}
	parsed := map[string]map[string]resource.Quantity{}
	for _, kind := range []string{"limits", "requests"} {
		parsed[kind] = map[string]resource.Quantity{}
		_, m := source.Step(res, kind)
		if m == nil || m.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			name, v := m.Content[i].Value, m.Content[i+1].Value
			q, err := resource.ParseQuantity(v)
			switch {
			case err != nil:
				c.add(InvalidResources, fieldPath+"."+kind, fmt.Sprintf("%s.%s[%s]: %q is not a quantity (say 500m or 64Mi)", fieldPath, kind, name, v))
			case q.Sign() < 0:
				c.add(InvalidResources, fieldPath+"."+kind, fmt.Sprintf("%s.%s[%s]: %s must not be negative", fieldPath, kind, name, v))
			default:
				parsed[kind][name] = q
			}
		}
	}
	for name, req := range parsed["requests"] {
		if lim, ok := parsed["limits"][name]; ok && req.Cmp(lim) > 0 {
			c.add(InvalidResources, fieldPath+".requests", fmt.Sprintf("%s.requests[%s]: %s is more than its limit %s; a request must be less than or equal to the limit", fieldPath, name, req.String(), lim.String()))
		}
	}
}

func lastStep(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[i+1:]
		}
	}
	return p
}
