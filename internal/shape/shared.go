package shape

import (
	"sync"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Shared checks many objects whose pod specs may be one shared node (the
// expansion's Deployments: codec.Encoder gives every Deployment with the
// same spec the same, read-only node). What a pod spec holds (each
// container's resources, its size) is worked out once per node and
// reported for every object that has it, at that object's position. Use a
// Shared only for objects whose nodes do not change while it is in use.
// The zero value is ready and safe for concurrent use.
type Shared struct {
	mu   sync.Mutex
	pods map[*yaml.Node]*podSpecResult
}

// podSpecResult is what checking one pod spec found.
type podSpecResult struct {
	found []podSpecFinding
	size  int
}

type podSpecFinding struct{ rule, field, message string }

// Check is the package's Check, with shared pod specs checked once.
func (s *Shared) Check(n *yaml.RNode) finding.List {
	return check(n, s)
}

func (s *Shared) get(spec *yaml.Node) *podSpecResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pods[spec]
}

func (s *Shared) put(spec *yaml.Node, r *podSpecResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pods == nil {
		s.pods = map[*yaml.Node]*podSpecResult{}
	}
	s.pods[spec] = r
}

// podSpec runs the pod spec's checks (containers at specPath under parent)
// once per shared node and replays them for this object.
func (c *checker) podSpec(parent *yaml.Node, specPath string) {
	spec := at(parent, lastStep(specPath))
	if c.shared == nil || spec == nil {
		c.containers(parent, specPath)
		return
	}
	r := c.shared.get(spec)
	if r == nil {
		r = &podSpecResult{size: approxSize(spec)}
		before := len(c.out)
		c.containers(parent, specPath)
		for _, f := range c.out[before:] {
			r.found = append(r.found, podSpecFinding{f.Rule, f.Field, f.Message})
		}
		c.out = c.out[:before]
		c.shared.put(spec, r)
	}
	for _, f := range r.found {
		c.add(f.rule, f.field, f.message)
	}
	c.podSpecNode, c.podSpecSize = spec, r.size
}
