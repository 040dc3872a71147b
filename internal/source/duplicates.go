package source

import (
	"fmt"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Key identifies an object the way the API server does: group, kind,
// namespace and name (the version does not matter: two versions of one
// object are still one object).
func Key(n *yaml.RNode) string {
	r := Ref(n)
	group := r.APIVersion
	if i := strings.LastIndex(group, "/"); i >= 0 {
		group = group[:i]
	} else {
		group = ""
	}
	return group + "|" + r.Kind + "|" + r.Namespace + "|" + r.Name
}

// Duplicates reports each object that appears more than once, naming both
// places.
func Duplicates(nodes []*yaml.RNode) finding.List {
	first := map[string]*yaml.RNode{}
	var out finding.List
	for _, n := range nodes {
		k := Key(n)
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
