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

// jsonFinding and jsonObject always write every key ("" or 0 when
// unknown), so scripts reading the report need no special cases.
type jsonFinding struct {
	File     string     `json:"file"`
	Line     int        `json:"line"`
	Column   int        `json:"column"`
	Severity Severity   `json:"severity"`
	Rule     string     `json:"rule"`
	Object   jsonObject `json:"object"`
	Field    string     `json:"field"`
	Message  string     `json:"message"`
}

type jsonObject struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
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
		o := jsonObject{f.Object.APIVersion(), f.Object.Kind, f.Object.Namespace, f.Object.Name}
		out.Findings = append(out.Findings, jsonFinding{f.Pos.File, f.Pos.Line, f.Pos.Column, f.Severity, f.Rule, o, f.Field, f.Message})
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
		if isPath(f.Pos.File) {
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

// isPath tells a file name from a stand-in such as "<stdin>", which GitHub
// cannot attach an annotation to.
func isPath(file string) bool {
	return file != "" && !(strings.HasPrefix(file, "<") && strings.HasSuffix(file, ">"))
}

// relative is file relative to wd. A relative file is relative to the
// process's working directory, which need not be wd (a step may run in a
// subfolder while GitHub wants paths from the repository root), so it is
// made absolute first. A file outside wd keeps its path.
func relative(file, wd string) string {
	if wd == "" {
		return filepath.ToSlash(file)
	}
	abs, err := filepath.Abs(file)
	absWD, werr := filepath.Abs(wd)
	if err != nil || werr != nil {
		return filepath.ToSlash(file)
	}
	r, err := filepath.Rel(absWD, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(r)
}

// escapeData and escapeProperty follow the workflow-command encoding: a
// message may not hold raw newlines, a property not ':' or ','.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
