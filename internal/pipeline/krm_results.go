package pipeline

import (
	"strconv"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"sigs.k8s.io/kustomize/kyaml/fn/framework"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Result tags: the KRM result has no place for a rule id or a line, so
// they travel as tags.
const (
	TagRule   = "kubectl-mgi.kuma.io/rule"
	TagLine   = "kubectl-mgi.kuma.io/line"
	TagColumn = "kubectl-mgi.kuma.io/column"
)

// toResults turns findings into KRM results, ordered by file, index and
// severity as kyaml orders them. A line is only given when it is a line of
// a real file (generator inputs); items of the ResourceList have none (see
// forgetLines).
func toResults(l finding.List) framework.Results {
	l.Sort()
	out := make(framework.Results, 0, len(l))
	for _, f := range l {
		r := &framework.Result{
			Message:  f.Message,
			Severity: severity(f.Severity),
			Tags:     map[string]string{TagRule: f.Rule},
		}
		if f.Object != (object.Ref{}) {
			r.ResourceRef = &yaml.ResourceIdentifier{
				TypeMeta: yaml.TypeMeta{APIVersion: f.Object.APIVersion(), Kind: f.Object.Kind},
				NameMeta: yaml.NameMeta{Name: f.Object.Name, Namespace: f.Object.Namespace},
			}
		}
		if f.Field != "" {
			r.Field = &framework.Field{Path: f.Field}
		}
		if f.Pos.File != "" {
			r.File = &framework.File{Path: f.Pos.File, Index: f.Pos.Index}
		}
		if f.Pos.Line > 0 {
			r.Tags[TagLine] = strconv.Itoa(f.Pos.Line)
			if f.Pos.Column > 0 {
				r.Tags[TagColumn] = strconv.Itoa(f.Pos.Column)
			}
		}
		out = append(out, r)
	}
	out.Sort()
	return out
}

func severity(s finding.Severity) framework.Severity {
	switch s {
	case finding.Error:
		return framework.Error
	case finding.Warning:
		return framework.Warning
	}
	return framework.Info
}
