// Package finding is the one model of what the tool reports about its inputs:
// a problem (or a note) about one object, with a stable rule id and the place
// in a file where a person can fix it. Readers, the domain and the pipeline all
// produce findings; printers (text, json, GitHub annotations, KRM results)
// consume them.
package finding

import (
	"fmt"
	"sort"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// Severity says whether a finding stops the run.
type Severity string

const (
	// Error makes render, validate, plan and apply fail; nothing is applied.
	Error Severity = "error"
	// Warning is reported but does not fail unless --strict.
	Warning Severity = "warning"
	// Info is a note.
	Info Severity = "info"
)

// Position is where something stands in an input file. Line and Column are
// 1-based; 0 means unknown. Index is the document's 0-based index in its file.
type Position struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Index  int    `json:"index,omitempty"`
}

// String is file:line:column, leaving out what is unknown.
func (p Position) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
}

// Finding is one thing the tool has to say about the inputs.
type Finding struct {
	// Rule is a stable identifier (see rules.go and docs/rules.md).
	Rule     string     `json:"rule"`
	Severity Severity   `json:"severity"`
	Object   object.Ref `json:"object"`
	// Field is the path of the offending field, dotted, with [i] for list
	// items (spec.conf.listeners[0].port); empty when the object as a whole
	// is meant.
	Field   string   `json:"field,omitempty"`
	Message string   `json:"message"`
	Pos     Position `json:"position"`
}

// Error lets a single finding travel as an error.
func (f Finding) Error() string { return f.String() }

// String is "file:line: severity: Kind/ns/name: field: message (rule)".
func (f Finding) String() string {
	s := ""
	if p := f.Pos.String(); p != "" {
		s = p + ": "
	}
	s += string(f.Severity) + ": "
	if o := f.Object.String(); o != "" {
		s += o + ": "
	}
	if f.Field != "" {
		s += f.Field + ": "
	}
	return s + f.Message + " [" + f.Rule + "]"
}

// List is an ordered collection of findings.
type List []Finding

// HasErrors reports whether any finding is an error.
func (l List) HasErrors() bool { return l.Count(Error) > 0 }

// Count counts the findings of one severity.
func (l List) Count(s Severity) int {
	n := 0
	for _, f := range l {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders findings by file, line, column, then rule and message, so that
// output is the same on every run whatever order the checks ran in.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
