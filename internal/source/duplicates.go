package source

import (
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Duplicates reports each object that appears more than once, naming both
// places.
func Duplicates(nodes []*yaml.RNode) finding.List {
	first := make(map[object.Ref]*yaml.RNode, len(nodes))
	var out finding.List
	for _, n := range nodes {
		k := Ref(n).ID() // two versions of one object are one object
		prev, seen := first[k]
		if !seen {
			first[k] = n
			continue
		}
		out = append(out, finding.Finding{
			Rule:     RuleDuplicateObject,
			Severity: finding.Error,
			Object:   Ref(n),
			Message: fmt.Sprintf("this object is also defined at %s; keep one definition",
				Position(prev).String()),
			Pos: Position(n),
		})
	}
	return out
}
