package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func testPlan() *plan.Plan {
	return &plan.Plan{Changes: []plan.Change{
		{Action: plan.Create, Object: object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: "shop", Name: "a"}, Diff: "--- live/ConfigMap/shop/a\n+++ desired/ConfigMap/shop/a\n@@ -0,0 +1 @@\n+x: " + strings.Repeat("y", 400) + "\n"},
		{Action: plan.Create, Object: object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: "shop", Name: "b"}, Diff: "--- live/ConfigMap/shop/b\n+++ desired/ConfigMap/shop/b\n@@ -0,0 +1 @@\n+x: " + strings.Repeat("z", 400) + "\n"},
		{Action: plan.Unchanged, Object: object.Ref{Version: "v1", Kind: "Namespace", Name: "shop"}},
	}}
}

func TestPlanFlags(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	cmd := NewPlanCmd(streams)
	if err := cmd.ParseFlags([]string{"-o", "markdown", "--out", "plan.md", "--detailed-exitcode", "--max-size", "1234", "--title", "T"}); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{"output": "markdown", "out": "plan.md", "detailed-exitcode": "true", "max-size": "1234", "title": "T", "show-secrets": "false"} {
		if got := cmd.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}
	if def := NewPlanCmd(streams).Flags().Lookup("max-size").DefValue; def != "60000" {
		t.Errorf("--max-size defaults to %s, want 60000 (below GitHub's 65536)", def)
	}
}

// --out gets the Markdown with the title and cap of the flags, and nothing
// goes to stdout; stderr says where the plan went.
func TestPlanMarkdownOut(t *testing.T) {
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	file := filepath.Join(t.TempDir(), "plan.md")
	o := &PlanOptions{IO: streams, Cluster: newClusterFlags(), Output: "markdown", OutFile: file, MarkdownMaxSize: 1400, Title: "Plan of gateways/",
		Commit: "abc", Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }}
	o.Cluster.Getenv = func(string) string { return "" }
	*o.Cluster.Kube.KubeConfig = filepath.Join(t.TempDir(), "no-kubeconfig") // no context to name
	printer, err := o.printer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := o.write(printer, testPlan()); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("stdout: %q", out)
	}
	if got, want := errOut.String(), "Plan written to "+file+": Plan: 2 to create, 0 to update, 0 to replace, 0 to delete, 0 to take over, 0 with conflicts, 0 rejected, 1 unchanged.\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	if len(md) > 1400 {
		t.Errorf("%d bytes over --max-size 1400", len(md))
	}
	for _, want := range []string{"## Plan of gateways/\n", "| :heavy_plus_sign: create | 2 |", "<code>ConfigMap/shop/a</code>", "**Output truncated** (size cap 1400 bytes): 1 of 2 changed objects are not shown in full.", "- :heavy_plus_sign: create `ConfigMap/shop/b`\n", "Commit `abc` · planned 2026-01-02 03:04:05 UTC\n"} {
		if !strings.Contains(md, want) {
			t.Errorf("plan lacks %q:\n%s", want, md)
		}
	}
	if _, err := os.Stat(file + ".tmp"); err == nil {
		t.Error("temporary file left behind")
	}
}

func TestPlanOutIntoMissingFolder(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	file := filepath.Join(t.TempDir(), "no", "such", "plan.md")
	o := &PlanOptions{IO: streams, Cluster: newClusterFlags(), Output: "markdown", OutFile: file}
	printer, _ := o.printer(context.Background())
	err := o.write(printer, testPlan())
	if err == nil || !strings.HasPrefix(err.Error(), "--out "+file+": ") {
		t.Fatalf("err = %v, want it to name --out", err)
	}
}

func TestPlanSameInputSameMarkdown(t *testing.T) {
	o := &PlanOptions{Output: "markdown", Cluster: newClusterFlags()}
	printer, err := o.printer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := printer(&a, testPlan()); err != nil {
		t.Fatal(err)
	}
	if err := printer(&b, testPlan()); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || !strings.HasPrefix(a.String(), "## kubectl mgi plan\n") {
		t.Errorf("two prints differ or lack the default title:\n%s\n---\n%s", a.String(), b.String())
	}
}

func TestPlanRejectsUnknownOutput(t *testing.T) {
	o := &PlanOptions{Output: "github", Cluster: newClusterFlags()}
	if _, err := o.printer(context.Background()); err == nil || err.Error() != `--output "github" is not supported; use text, json or markdown` {
		t.Fatalf("err = %v", err)
	}
}

// The diff flags are checked before any input is read or request made.
func TestPlanRefusesBadDiffFlags(t *testing.T) {
	for _, tc := range []struct {
		o    PlanOptions
		want string
	}{
		{PlanOptions{Output: "text", DiffStyle: "short"}, `--diff-style "short" is not supported; use full or compact`},
		{PlanOptions{Output: "text", DiffContext: -1}, "--diff-context -1: must be 0 or more"},
		{PlanOptions{Output: "text", IncludeObjects: true}, "--include-objects adds the objects to the JSON document: use it with -o json or --json-out FILE"},
		{PlanOptions{Output: "markdown", IncludeObjects: true}, "--include-objects adds the objects"},
	} {
		o := tc.o
		o.Cluster = newClusterFlags()
		if _, err := o.printer(context.Background()); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
	}
	ok := PlanOptions{Output: "markdown", IncludeObjects: true, JSONOutFile: "plan.json", DiffStyle: "compact", Cluster: newClusterFlags()}
	if _, err := ok.printer(context.Background()); err != nil {
		t.Errorf("--include-objects with --json-out: %v", err)
	}
}

// With KUBECTL_EXTERNAL_DIFF the text has no diff of its own; the program
// gets the objects and its output follows the text.
func TestPlanTextWithExternalDiff(t *testing.T) {
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	o := &PlanOptions{IO: streams, Cluster: newClusterFlags(), Output: "text"}
	o.Cluster.Getenv = func(k string) string {
		if k == "KUBECTL_EXTERNAL_DIFF" {
			return "diff -u '-x'"
		}
		return ""
	}
	printer, err := o.printer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := &plan.Plan{Changes: []plan.Change{{Action: plan.Update, Object: object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: "shop", Name: "a"},
		Before: "a: 1\n", After: "a: 2\n", Diff: "--- live/ConfigMap/shop/a\n+++ desired/ConfigMap/shop/a\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"}}}
	if err := o.write(printer, p); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, "--- live/") || !strings.Contains(got, "~ ConfigMap/shop/a will be updated\n") ||
		!strings.Contains(got, "/v1.ConfigMap.shop.a") || !strings.Contains(got, "@@ -1 +1 @@\n-a: 1\n+a: 2\n") {
		t.Errorf("output:\n%s", got)
	}
	if !strings.Contains(errOut.String(), `warning: KUBECTL_EXTERNAL_DIFF: ["'-x'"] left out`) {
		t.Errorf("no warning for the word kubectl drops: %q", errOut.String())
	}
}
