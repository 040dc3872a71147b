package finding

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// PrintText writes one line per finding and a closing count, the form
// compilers use, so editors and terminals can jump to file:line.
func PrintText(w io.Writer, l List) error {
	for _, f := range l {
		if _, err := fmt.Fprintln(w, f.String()); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, l.summary())
	return err
}

func (l List) summary() string {
	e, w := l.Count(Error), l.Count(Warning)
	if e == 0 && w == 0 {
		return "No problems found."
	}
	return fmt.Sprintf("%d %s, %d %s.", e, plural(e, "error"), w, plural(w, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// ReportAPIVersion and ReportKind identify the JSON report.
const (
	ReportAPIVersion = "kubectl-mgi.kuma.io/v1alpha1"
	ReportKind       = "ValidationReport"
)

type jsonFinding struct {
	File     string    `json:"file"`
	Line     int       `json:"line"`
	Column   int       `json:"column"`
	Severity Severity  `json:"severity"`
	Rule     string    `json:"rule"`
	Object   ObjectRef `json:"object"`
	Field    string    `json:"field,omitempty"`
	Message  string    `json:"message"`
}

// PrintJSON writes the documented report of docs/validate-output.md.
func PrintJSON(w io.Writer, l List) error {
	out := struct {
		APIVersion string         `json:"apiVersion"`
		Kind       string         `json:"kind"`
		Summary    map[string]int `json:"summary"`
		Findings   []jsonFinding  `json:"findings"`
	}{ReportAPIVersion, ReportKind, map[string]int{"errors": l.Count(Error), "warnings": l.Count(Warning), "info": l.Count(Info)}, []jsonFinding{}}
	for _, f := range l {
		out.Findings = append(out.Findings, jsonFinding{f.Pos.File, f.Pos.Line, f.Pos.Column, f.Severity, f.Rule, f.Object, f.Field, f.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// PrintGitHub writes one GitHub Actions workflow command per finding, so
// each shows up as an annotation on the pull request's changed line. Paths
// are made relative to wd, as GitHub expects paths from the repository root
// (the working directory of a workflow step).
func PrintGitHub(w io.Writer, l List, wd string) error {
	for _, f := range l {
		level := "notice"
		switch f.Severity {
		case Error:
			level = "error"
		case Warning:
			level = "warning"
		}
		props := []string{}
		if f.Pos.File != "" {
			props = append(props, "file="+escapeProperty(relative(f.Pos.File, wd)))
			if f.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Pos.Line))
			}
			if f.Pos.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Pos.Column))
			}
		}
		title := f.Rule
		if o := f.Object.String(); o != "" {
			title += " " + o
		}
		props = append(props, "title="+escapeProperty(title))
		msg := f.Message
		if f.Field != "" {
			msg = f.Field + ": " + msg
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

func relative(file, wd string) string {
	if wd == "" || !filepath.IsAbs(file) {
		return filepath.ToSlash(file)
	}
	if r, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(file)
}

// escapeData and escapeProperty follow the workflow-command encoding: a
// message may not hold raw newlines, a property not ':' or ','.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
