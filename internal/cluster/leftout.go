package cluster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// Fields left to others. The directory renders every field Kuma would,
// but some belong to someone else once the object runs: spec.replicas of
// a Deployment that an autoscaler scales above all. Sending such a field
// is either a conflict on every apply or, forced, a fight with the
// autoscaler. So the run leaves them out of what it sends (and therefore
// out of the dry-run's result and the diff), never forces them, and says
// so once per object.

// RuleFieldsLeftToOthers: fields the directory renders are left to
// another manager (an ignore rule, an autoscaler, the scale subresource).
const RuleFieldsLeftToOthers = "FieldsLeftToOthers"

// replicasPointer is the field an autoscaler owns.
const replicasPointer = "/spec/replicas"

// scaleSubresource is how the HorizontalPodAutoscaler (through
// kube-controller-manager) and kubectl scale write spec.replicas.
const scaleSubresource = "scale"

// leaveRules are what a run leaves out: the directory's ignore rules and
// the Deployments an autoscaler targets (namespace/name to the
// HorizontalPodAutoscaler's name).
type leaveRules struct {
	ignore     []config.IgnoreRule
	autoscaled map[[2]string]string
}

// leftField is one field an object's apply leaves out, and why.
type leftField struct {
	pointer string
	why     string
}

// leaveOut returns desired without the fields left to others, and which
// they are. A left field the tool itself still owns alone (the rule is
// new, nobody has written the field since) is sent with its live value
// instead: leaving it out would make the server remove it (or reset it to
// its default, 1 replica), which is the fight the rule is there to avoid.
// Ownership then passes to the next manager that changes it.
func (l *leaveRules) leaveOut(desired, live *unstructured.Unstructured, manager string) (*unstructured.Unstructured, []leftField) {
	if l == nil {
		return desired, nil
	}
	fields := l.fieldsFor(desired, live, manager)
	if len(fields) == 0 {
		return desired, nil
	}
	out := desired.DeepCopy()
	for _, f := range fields {
		tokens, err := config.PointerTokens(f.pointer)
		if err != nil {
			continue // checked when the configuration was read
		}
		if live != nil {
			if v, ok := pointerGet(live.Object, tokens); ok {
				if ours, others := pointerOwners(live, f.pointer, manager); ours && len(others) == 0 && pointerSet(out.Object, tokens, runtime.DeepCopyJSONValue(v)) {
					continue
				}
			}
		}
		pointerRemove(out.Object, tokens)
	}
	return out, fields
}

// fieldsFor lists the fields left out of desired, in the order of the
// rules, each once.
func (l *leaveRules) fieldsFor(desired, live *unstructured.Unstructured, manager string) []leftField {
	var out []leftField
	seen := map[string]bool{}
	add := func(p, why string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, leftField{pointer: p, why: why})
		}
	}
	gvk := desired.GroupVersionKind()
	if gvk.Group == "apps" && gvk.Kind == "Deployment" {
		if hpa, ok := l.autoscaled[[2]string{desired.GetNamespace(), desired.GetName()}]; ok {
			add(replicasPointer, "HorizontalPodAutoscaler "+hpa+" scales it")
		}
		if ms := scaleManagers(live, manager); len(ms) > 0 {
			add(replicasPointer, strings.Join(ms, ", ")+" wrote it through the scale subresource")
		}
	}
	for _, r := range l.ignore {
		if !r.Matches(gvk.Group, gvk.Version, gvk.Kind, desired.GetNamespace(), desired.GetName(), desired.GetLabels()) {
			continue
		}
		for _, p := range r.Paths {
			add(p, "the ignore rule at "+r.Source())
		}
	}
	return out
}

// scaleManagers are the managers other than manager that own spec.replicas
// through the scale subresource.
func scaleManagers(live *unstructured.Unstructured, manager string) []string {
	if live == nil {
		return nil
	}
	replicas := fieldpath.MakePathOrDie("spec", "replicas")
	var out []string
	for _, e := range live.GetManagedFields() {
		if e.Subresource != scaleSubresource || e.Manager == manager || e.FieldsV1 == nil {
			continue
		}
		s := &fieldpath.Set{}
		if err := s.FromJSON(e.FieldsV1.GetRawReader()); err == nil && s.Has(replicas) {
			out = append(out, e.Manager)
		}
	}
	sort.Strings(out)
	return out
}

// pointerOwners says whether manager owns the field at pointer (or a
// field below it) in live, and which other managers do.
func pointerOwners(live *unstructured.Unstructured, pointer, manager string) (ours bool, others []string) {
	for _, e := range live.GetManagedFields() {
		if e.FieldsV1 == nil {
			continue
		}
		s := &fieldpath.Set{}
		if err := s.FromJSON(e.FieldsV1.GetRawReader()); err != nil {
			continue
		}
		owns := false
		s.Iterate(func(p fieldpath.Path) {
			if q, ok := pathPointer(live.Object, p); ok && (q == pointer || strings.HasPrefix(q, pointer+"/")) {
				owns = true
			}
		})
		switch {
		case !owns:
		case e.Manager == manager && e.Subresource == "":
			ours = true
		default:
			others = append(others, e.Manager)
		}
	}
	return ours, others
}

// pathPointer is the JSON pointer of a managed-fields path in obj (list
// items by their index there).
func pathPointer(obj map[string]interface{}, p fieldpath.Path) (string, bool) {
	var b strings.Builder
	var node interface{} = obj
	for _, pe := range p {
		if pe.FieldName != nil {
			m, ok := node.(map[string]interface{})
			if !ok {
				return "", false
			}
			b.WriteString("/" + strings.ReplaceAll(strings.ReplaceAll(*pe.FieldName, "~", "~0"), "/", "~1"))
			node = m[*pe.FieldName]
			continue
		}
		l, ok := node.([]interface{})
		if !ok {
			return "", false
		}
		i := itemIndex(l, pe)
		if i < 0 {
			return "", false
		}
		b.WriteString("/" + strconv.Itoa(i))
		node = l[i]
	}
	return b.String(), true
}

// pointerGet is the value at the pointer's tokens.
func pointerGet(obj map[string]interface{}, tokens []string) (interface{}, bool) {
	var node interface{} = obj
	for _, t := range tokens {
		switch n := node.(type) {
		case map[string]interface{}:
			v, ok := n[t]
			if !ok {
				return nil, false
			}
			node = v
		case []interface{}:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(n) {
				return nil, false
			}
			node = n[i]
		default:
			return nil, false
		}
	}
	return node, true
}

// pointerSet sets the value at the tokens when its parent exists.
func pointerSet(obj map[string]interface{}, tokens []string, v interface{}) bool {
	parent, ok := pointerGet(obj, tokens[:len(tokens)-1])
	if !ok {
		return false
	}
	last := tokens[len(tokens)-1]
	switch n := parent.(type) {
	case map[string]interface{}:
		n[last] = v
		return true
	case []interface{}:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(n) {
			n[i] = v
			return true
		}
	}
	return false
}

// pointerRemove deletes the field at the tokens (a map key; a list item
// by index), then the maps that held only it, so the apply does not claim
// an empty parent.
func pointerRemove(obj map[string]interface{}, tokens []string) {
	for n := len(tokens); n > 0; n-- {
		parent, ok := pointerGet(obj, tokens[:n-1])
		if !ok {
			return
		}
		last := tokens[n-1]
		switch p := parent.(type) {
		case map[string]interface{}:
			delete(p, last)
			if len(p) > 0 || n == 1 {
				return
			}
		case []interface{}:
			i, err := strconv.Atoi(last)
			if err != nil || i < 0 || i >= len(p) {
				return
			}
			rest := append(p[:i:i], p[i+1:]...)
			if n >= 2 {
				pointerSet(obj, tokens[:n-1], rest)
			}
			return
		default:
			return
		}
	}
}

// leftFindings say once per object which of its fields were left out.
func leftFindings(done []outcome) finding.List {
	var out finding.List
	for _, o := range done {
		if len(o.leftOut) == 0 {
			continue
		}
		out = append(out, finding.Finding{Rule: RuleFieldsLeftToOthers, Severity: finding.Info, Object: o.ref,
			Pos: sourcePosition(o.source), Message: leftNote(o.leftOut) + "; it is not applied, not compared and never taken over"})
	}
	return out
}

// leftNote is "spec.replicas is left to others: why".
func leftNote(fs []leftField) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s is left to others (%s)", f.pointer, f.why)
	}
	return strings.Join(parts, "; ")
}
