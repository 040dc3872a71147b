// Package plan is the model of what `plan` found (one Change per object, and
// the findings of the run) and its printers. The cluster package builds a
// Plan; the caller prints it.
package plan

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// Action is what applying the directory would do to one object.
type Action string

const (
	// Create: the object does not exist in the cluster.
	Create Action = "create"
	// Update: the object exists and the dry-run result differs from it.
	Update Action = "update"
	// Unchanged: the dry-run result equals the live object.
	Unchanged Action = "unchanged"
	// Conflict: applying without --force-conflicts would fail because
	// another field manager owns fields that the directory sets.
	Conflict Action = "conflict"
	// Delete: the object is a member of the ApplySet but no longer in the
	// directory; apply --prune deletes it.
	Delete Action = "delete"
	// TakeOver: a MeshGatewayInstance of the directory is live in the
	// cluster and Kuma's controller owns the objects built for it; apply
	// --take-over moves them to the tool (ownership of the rendered fields,
	// then the ownerReference, then the instance, deleted with orphan
	// propagation) without deleting them. One change per instance; its
	// Deployment and Service have their own changes beside it.
	TakeOver Action = "take-over"
	// Replace: the server refuses to change the object in place (an
	// immutable field); Reason holds its message. apply refuses it unless
	// --recreate, which deletes the object and creates it again.
	Replace Action = "replace"
	// Error: the server rejected the object (validation, admission, quota);
	// Reason holds its message. apply would fail; plan exits 1.
	Error Action = "error"
)

// Actions lists every action in the order printers show them.
var Actions = []Action{Create, Update, Replace, Delete, TakeOver, Conflict, Error, Unchanged}

// FieldConflict is one field that another manager owns.
type FieldConflict struct {
	// Field is the field path as the API server reports it, e.g. .spec.replicas.
	Field string `json:"field"`
	// Manager is the owning field manager, e.g. kubectl-client-side-apply.
	Manager string `json:"manager"`
}

// Change is the plan for one object.
type Change struct {
	Action Action     `json:"action"`
	Object object.Ref `json:"object"`
	// Source is where the desired object comes from (file:line), empty for
	// deletions and objects expanded from an instance without a position.
	Source string `json:"source,omitempty"`
	// Before is the normalised live object as YAML; empty for Create.
	Before string `json:"-"`
	// After is the normalised dry-run result as YAML; empty for Delete.
	After string `json:"-"`
	// Diff is the unified diff of Before and After, secrets masked, no color.
	Diff string `json:"diff,omitempty"`
	// Brief stands for the whole object of a create or a delete in a
	// compact plan (--diff-style compact): its key fields on one line
	// (diff.Brief), e.g. "replicas 2, image kumahq/kuma-dp:2.13.0".
	Brief string `json:"-"`
	// Live and Desired are the objects Before and After render (normalised,
	// secrets masked), nil for an absent side. The cluster fills them only
	// when asked (plan -o json --include-objects): most plans need the
	// YAML alone.
	Live    map[string]interface{} `json:"-"`
	Desired map[string]interface{} `json:"-"`
	// Conflicts lists the fields behind a Conflict action.
	Conflicts []FieldConflict `json:"conflicts,omitempty"`
	// Note says why an action was inferred rather than dry-run, e.g. the
	// namespace does not exist yet.
	Note string `json:"note,omitempty"`
	// Reason is the server's message behind a Replace or an Error.
	Reason string `json:"reason,omitempty"`
	// TakeOver describes a TakeOver change; nil for every other action.
	TakeOver *TakeOverInfo `json:"takeOver,omitempty"`
}

// TakeOverInfo is what taking one gateway over from Kuma's controller does.
type TakeOverInfo struct {
	// Objects are the live objects the instance controls that the tool
	// takes over (its Deployment and Service), in apply order.
	Objects []object.Ref `json:"objects"`
	// RestartsPods reports that the rendered pod template differs from the
	// live one, so the Deployment rolls out new pods.
	RestartsPods bool `json:"restartsPods"`
	// PodTemplateFields are the pod-template fields that differ (paths below
	// spec.template), which is why pods restart; empty when they do not.
	PodTemplateFields []string `json:"podTemplateFields,omitempty"`
}

// Plan is the whole result of `plan`, in apply order.
type Plan struct {
	Changes []Change `json:"changes"`
	// Findings are what the run found about the inputs and the cluster
	// (validation warnings, checks the dry-run cannot make, notes such as
	// fields left to other managers), sorted by file and line.
	Findings finding.List `json:"findings,omitempty"`
}

// Summary counts the changes per action.
type Summary map[Action]int

// Summary counts the plan's changes per action.
func (p Plan) Summary() Summary {
	s := Summary{}
	for _, c := range p.Changes {
		s[c.Action]++
	}
	return s
}

// HasErrors reports whether the plan cannot be applied as it is: an object
// the server rejected, or an error finding.
func (p Plan) HasErrors() bool {
	for _, c := range p.Changes {
		if c.Action == Error {
			return true
		}
	}
	return p.Findings.HasErrors()
}

// Blocking counts the objects on which apply would stop (conflicts,
// replaces, objects in error: every action whose words say it blocks).
func (p Plan) Blocking() int {
	n := 0
	for _, c := range p.Changes {
		if c.Action.Blocks() {
			n++
		}
	}
	return n
}

// HasChanges reports whether applying would change anything in the cluster.
func (p Plan) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Action != Unchanged {
			return true
		}
	}
	return false
}
