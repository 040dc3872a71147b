package plan

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// The JSON document's type. A change of the schema that is not an addition
// gets a new version; docs/plan-output.md describes every field.
const (
	JSONAPIVersion = "kubectl-mgi.kuma.io/v1alpha1"
	JSONKind       = "Plan"
)

// JSONPlan is the document PrintJSON writes. Every field is always present
// (empty strings and empty lists rather than missing keys) so that scripts
// need no special cases; the one exception is a change's takeOver, which
// only take-over changes have.
type JSONPlan struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	// HasChanges is true when anything but "unchanged" has a count above 0.
	HasChanges bool `json:"hasChanges"`
	// HasErrors is true when an object was rejected or a finding is an
	// error: apply would fail, and plan exits 1.
	HasErrors bool `json:"hasErrors"`
	// Blocking counts the objects on which apply would stop (conflict,
	// replace, error), so a CI job can fail on them.
	Blocking int `json:"blocking"`
	// Summary counts the changes of every action, zeros included.
	Summary map[Action]int `json:"summary"`
	// Changes lists every object, unchanged ones too, in apply order.
	Changes []JSONChange `json:"changes"`
	// Findings lists what the run found (validation warnings and errors,
	// notes), sorted by file and line.
	Findings []JSONFinding `json:"findings"`
}

// JSONFinding is one finding, with every key present as in the validate
// report (docs/validate-output.md).
type JSONFinding struct {
	File     string      `json:"file"`
	Line     int         `json:"line"`
	Column   int         `json:"column"`
	Severity string      `json:"severity"`
	Rule     string      `json:"rule"`
	Object   JSONSubject `json:"object"`
	Field    string      `json:"field"`
	Message  string      `json:"message"`
}

// JSONSubject is the object a finding is about, as the input names it.
type JSONSubject struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}

// JSONChange is one object of the plan.
type JSONChange struct {
	Action    Action         `json:"action"`
	Object    JSONObject     `json:"object"`
	Source    string         `json:"source"`
	Diff      string         `json:"diff"`
	Conflicts []JSONConflict `json:"conflicts"`
	Note      string         `json:"note"`
	// Reason is the server's message behind a replace or an error.
	Reason string `json:"reason"`
	// TakeOver is set on take-over changes only.
	TakeOver *JSONTakeOver `json:"takeOver,omitempty"`
	// JSONObjects adds live and desired to every change, only when asked
	// (plan -o json --include-objects): a nil embedded pointer adds no keys.
	*JSONObjects
}

// JSONObjects are the two objects a change compares, as the diff shows them:
// normalised (no managedFields, resourceVersion, uid, status, ...) and with
// Secret values masked unless --show-secrets. null for an absent side: live
// of a create, desired of a delete, both of an object the server rejected.
type JSONObjects struct {
	Live    map[string]interface{} `json:"live"`
	Desired map[string]interface{} `json:"desired"`
}

// JSONOptions controls the JSON document.
type JSONOptions struct {
	// Objects adds each change's live and desired objects.
	Objects bool
}

// JSONTakeOver is what taking one gateway over does.
type JSONTakeOver struct {
	Objects           []JSONObject `json:"objects"`
	RestartsPods      bool         `json:"restartsPods"`
	PodTemplateFields []string     `json:"podTemplateFields"`
}

// JSONObject identifies the object; group is "" for the core group and
// namespace "" for cluster-scoped objects.
type JSONObject struct {
	Group     string `json:"group"`
	Version   string `json:"version"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// JSONConflict is one field owned by another field manager.
type JSONConflict struct {
	Field   string `json:"field"`
	Manager string `json:"manager"`
}

// NewJSONPlan builds the JSON document of a plan (nil prints as empty).
func NewJSONPlan(p *Plan, opts JSONOptions) JSONPlan {
	doc := JSONPlan{
		APIVersion: JSONAPIVersion,
		Kind:       JSONKind,
		Summary:    map[Action]int{},
		Changes:    []JSONChange{},
		Findings:   []JSONFinding{},
	}
	for _, r := range summaryOf(p).rows() {
		doc.Summary[r.Action] = r.Count
	}
	if p == nil {
		return doc
	}
	doc.HasChanges, doc.HasErrors, doc.Blocking = p.HasChanges(), p.HasErrors(), p.Blocking()
	for _, c := range p.Changes {
		jc := newJSONChange(c)
		if opts.Objects {
			jc.JSONObjects = &JSONObjects{Live: c.Live, Desired: c.Desired}
		}
		doc.Changes = append(doc.Changes, jc)
	}
	for _, f := range p.Findings {
		doc.Findings = append(doc.Findings, JSONFinding{
			File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Column,
			Severity: string(f.Severity), Rule: f.Rule,
			Object: JSONSubject{APIVersion: f.Object.APIVersion(), Kind: f.Object.Kind, Namespace: f.Object.Namespace, Name: f.Object.Name},
			Field:  f.Field, Message: f.Message,
		})
	}
	return doc
}

func jsonObject(r object.Ref) JSONObject {
	return JSONObject(r)
}

func newJSONTakeOver(t *TakeOverInfo) *JSONTakeOver {
	if t == nil {
		return nil
	}
	jt := &JSONTakeOver{Objects: []JSONObject{}, RestartsPods: t.RestartsPods, PodTemplateFields: append([]string{}, t.PodTemplateFields...)}
	for _, o := range t.Objects {
		jt.Objects = append(jt.Objects, jsonObject(o))
	}
	return jt
}

func newJSONChange(c Change) JSONChange {
	jc := JSONChange{
		Action:    c.Action,
		Object:    jsonObject(c.Object),
		TakeOver:  newJSONTakeOver(c.TakeOver),
		Source:    c.Source,
		Conflicts: []JSONConflict{},
		Note:      c.Note,
		Reason:    c.Reason,
	}
	// An unchanged object has nothing to show, whatever a caller put in Diff.
	if c.Action != Unchanged {
		jc.Diff = c.Diff
	}
	for _, fc := range c.Conflicts {
		jc.Conflicts = append(jc.Conflicts, JSONConflict(fc))
	}
	return jc
}

// PrintJSON writes the plan as one JSON document, indented by two spaces.
// Map keys are sorted by encoding/json and changes keep plan order, so the
// same plan always gives the same bytes. HTML characters are not escaped:
// diffs are shown as they are.
func PrintJSON(w io.Writer, p *Plan, opts JSONOptions) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewJSONPlan(p, opts)); err != nil {
		return fmt.Errorf("write plan as JSON: %w", err)
	}
	return nil
}
