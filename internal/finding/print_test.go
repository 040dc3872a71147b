package finding

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// sample has one finding of each severity, in nested folders, with and
// without a field, line and column.
func sample() List {
	return List{
		{
			Rule: "InvalidReplicas", Severity: Error,
			Object: object.New("kuma.io/v1alpha1", "MeshGatewayInstance", "shop", "edge"),
			Field:  "spec.replicas", Message: "must be at least 1, not 0; set it to 1 or more",
			Pos: Position{File: "gateways/shop/edge.yaml", Line: 7, Column: 13},
		},
		{
			Rule: "NoGatewayMatched", Severity: Warning,
			Object:  object.Ref{Kind: "MeshGateway", Name: "edge"},
			Message: "No Gateway matched by tags in mesh: 'default'",
			Pos:     Position{File: "gateways/edge.yaml", Line: 3},
		},
		{Rule: "Note", Severity: Info, Message: "just so you know"},
	}
}

func TestPrintText(t *testing.T) {
	var b bytes.Buffer
	if err := PrintText(&b, sample()); err != nil {
		t.Fatal(err)
	}
	want := `gateways/shop/edge.yaml:7:13: error: MeshGatewayInstance/shop/edge: spec.replicas: must be at least 1, not 0; set it to 1 or more [InvalidReplicas]
gateways/edge.yaml:3: warning: MeshGateway/edge: No Gateway matched by tags in mesh: 'default' [NoGatewayMatched]
info: just so you know [Note]
1 error, 1 warning.
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestPrintTextSummary(t *testing.T) {
	cases := []struct {
		list List
		want string
	}{
		{nil, "No problems found.\n"},
		// Notes alone are not problems.
		{List{{Rule: "N", Severity: Info, Message: "m"}}, "info: m [N]\nNo problems found.\n"},
		{List{{Rule: "A", Severity: Error, Message: "a"}, {Rule: "B", Severity: Error, Message: "b"}}, "error: a [A]\nerror: b [B]\n2 errors, 0 warnings.\n"},
		{List{{Rule: "W", Severity: Warning, Message: "w"}, {Rule: "W", Severity: Warning, Message: "v"}}, "warning: w [W]\nwarning: v [W]\n0 errors, 2 warnings.\n"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		if err := PrintText(&b, c.list); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("got %q, want %q", b.String(), c.want)
		}
	}
}

func TestPrintJSON(t *testing.T) {
	var b bytes.Buffer
	if err := PrintJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		APIVersion string         `json:"apiVersion"`
		Kind       string         `json:"kind"`
		Summary    map[string]int `json:"summary"`
		Findings   []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if got.APIVersion != ReportAPIVersion || got.Kind != ReportKind {
		t.Errorf("header %s %s", got.APIVersion, got.Kind)
	}
	if got.Summary["errors"] != 1 || got.Summary["warnings"] != 1 || got.Summary["info"] != 1 {
		t.Errorf("summary %v", got.Summary)
	}
	if len(got.Findings) != 3 {
		t.Fatalf("%d findings", len(got.Findings))
	}
	first := got.Findings[0]
	for k, want := range map[string]any{
		"file": "gateways/shop/edge.yaml", "line": 7.0, "column": 13.0, "severity": "error",
		"rule": "InvalidReplicas", "field": "spec.replicas", "message": "must be at least 1, not 0; set it to 1 or more",
	} {
		if first[k] != want {
			t.Errorf("findings[0].%s = %v, want %v", k, first[k], want)
		}
	}
	obj, _ := first["object"].(map[string]any)
	if obj["kind"] != "MeshGatewayInstance" || obj["namespace"] != "shop" || obj["name"] != "edge" || obj["apiVersion"] != "kuma.io/v1alpha1" {
		t.Errorf("findings[0].object = %v", obj)
	}
	// Every key is always present, "" or 0 when unknown, so consumers need
	// no special case.
	if f, ok := got.Findings[1]["field"]; !ok || f != "" {
		t.Errorf("an empty field is written as \"\": %v", got.Findings[1])
	}
	if o, _ := got.Findings[1]["object"].(map[string]any); o["namespace"] != "" || o["apiVersion"] != "" {
		t.Errorf("empty object keys are written as \"\": %v", o)
	}
	if got.Findings[2]["line"] != 0.0 || got.Findings[2]["column"] != 0.0 || got.Findings[2]["file"] != "" {
		t.Errorf("findings[2] = %v", got.Findings[2])
	}
}

func TestPrintJSONEmptyIsAnEmptyList(t *testing.T) {
	var b bytes.Buffer
	if err := PrintJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"findings": []`) {
		t.Errorf("want an empty list, not null:\n%s", b.String())
	}
}

func TestPrintGitHub(t *testing.T) {
	var b bytes.Buffer
	if err := PrintGitHub(&b, sample(), "/repo"); err != nil {
		t.Fatal(err)
	}
	want := "::error file=gateways/shop/edge.yaml,line=7,col=13,title=InvalidReplicas MeshGatewayInstance/shop/edge::spec.replicas: must be at least 1, not 0; set it to 1 or more\n" +
		"::warning file=gateways/edge.yaml,line=3,title=NoGatewayMatched MeshGateway/edge::No Gateway matched by tags in mesh: 'default'\n" +
		"::notice title=Note::just so you know\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestPrintGitHubEscapes: a message may hold % and line breaks, a property
// also , and :, all of which end or split a workflow command unless encoded.
func TestPrintGitHubEscapes(t *testing.T) {
	l := List{{
		Rule: "R", Severity: Error,
		Object:  object.Ref{Kind: "ConfigMap", Namespace: "a:b", Name: "c,d%"},
		Field:   `data["x:y"]`,
		Message: "100% wrong,\r\nsee: line two",
		Pos:     Position{File: "dir,1/50%:x/f\n.yaml", Line: 2},
	}}
	var b bytes.Buffer
	if err := PrintGitHub(&b, l, ""); err != nil {
		t.Fatal(err)
	}
	want := "::error file=dir%2C1/50%25%3Ax/f%0A.yaml,line=2,title=R ConfigMap/a%3Ab/c%2Cd%25::data[\"x:y\"]: 100%25 wrong,%0D%0Asee: line two\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
	if strings.Count(b.String(), "\n") != 1 {
		t.Errorf("one finding must stay on one line: %q", b.String())
	}
}

func TestPrintGitHubPaths(t *testing.T) {
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ file, wd, want string }{
		{"/repo/gateways/team-a/edge.yaml", "/repo", "gateways/team-a/edge.yaml"},
		{"/repo/edge.yaml", "/repo/", "edge.yaml"},
		// Outside the working directory: kept absolute rather than ../..
		{"/elsewhere/edge.yaml", "/repo", "/elsewhere/edge.yaml"},
		// Already relative (as the reader names files given relatively).
		{"gateways/nested/deeper/edge.yaml", "/repo", "gateways/nested/deeper/edge.yaml"},
		{"/repo/gateways/edge.yaml", "", "/repo/gateways/edge.yaml"},
		// A relative file is relative to the process's directory, which may
		// be a subfolder of wd.
		{"gateways/edge.yaml", cwd, "gateways/edge.yaml"},
		{"gateways/edge.yaml", filepath.Dir(cwd), filepath.Base(cwd) + "/gateways/edge.yaml"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		l := List{{Rule: "R", Severity: Warning, Message: "m", Pos: Position{File: c.file, Line: 1}}}
		if err := PrintGitHub(&b, l, c.wd); err != nil {
			t.Fatal(err)
		}
		want := "::warning file=" + c.want + ",line=1,title=R::m\n"
		if b.String() != want {
			t.Errorf("file %s in %s: got %q, want %q", c.file, c.wd, b.String(), want)
		}
	}
}

// TestPrintGitHubStdin: GitHub cannot attach an annotation to standard
// input, so the finding has no file (and no line) but keeps its message.
func TestPrintGitHubStdin(t *testing.T) {
	var b bytes.Buffer
	l := List{{Rule: "R", Severity: Error, Message: "m", Pos: Position{File: "<stdin>", Line: 4, Column: 2}}}
	if err := PrintGitHub(&b, l, "/repo"); err != nil {
		t.Fatal(err)
	}
	if want := "::error title=R::m\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// failingWriter fails every write, to check that printers pass errors on.
type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestPrintersReturnWriteErrors(t *testing.T) {
	for name, print := range map[string]func() error{
		"text":   func() error { return PrintText(failingWriter{}, sample()) },
		"empty":  func() error { return PrintText(failingWriter{}, nil) },
		"json":   func() error { return PrintJSON(failingWriter{}, sample()) },
		"github": func() error { return PrintGitHub(failingWriter{}, sample(), "") },
	} {
		if err := print(); !errors.Is(err, errWrite) {
			t.Errorf("%s: got %v, want the writer's error", name, err)
		}
	}
}
