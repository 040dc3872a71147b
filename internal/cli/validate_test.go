package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// validateDir has nested folders and findings of every severity that
// validate reports: errors from reading, schema, Kuma's rules and duplicates,
// and warnings from gateway matching.
const validateDir = "testdata/ci/validate/gateways"

// runValidateCmd runs `kubectl mgi validate ARGS` through the root command,
// as main does, and returns stdout and the exit code.
func runValidateCmd(t *testing.T, args ...string) (string, int) {
	t.Helper()
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	root := NewRootCmd(streams)
	root.SetArgs(append([]string{"validate"}, args...))
	err := root.ExecuteContext(context.Background())
	code, print := ExitCode(err)
	if print {
		t.Fatalf("validate %v: %v", args, err)
	}
	if errOut.Len() > 0 {
		t.Errorf("validate printed on stderr: %s", errOut)
	}
	return out.String(), code
}

func TestValidateGoldenFormats(t *testing.T) {
	t.Chdir(repoRoot(t))
	for _, format := range []string{"text", "json", "github"} {
		t.Run(format, func(t *testing.T) {
			out, code := runValidateCmd(t, validateDir, "-o", format)
			if code != ExitError {
				t.Errorf("exit %d, want %d: the folder has errors", code, ExitError)
			}
			compareCIGolden(t, "validate/expected."+format, out)
			again, _ := runValidateCmd(t, validateDir, "-o", format)
			if again != out {
				t.Error("two runs on the same folder printed different output")
			}
		})
	}
}

// A step may run in a subfolder; annotations must still name files from
// the repository root (the WorkDir), or GitHub cannot place them.
func TestValidateGitHubFromSubfolder(t *testing.T) {
	root := repoRoot(t)
	t.Chdir(filepath.Join(root, "testdata", "ci", "validate"))
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	err = runValidate(context.Background(), &ValidateOptions{IO: streams, Paths: []string{"gateways"}, Output: "github", WorkDir: abs, Input: InputFlags{Namespace: "default"}})
	if code, _ := ExitCode(err); code != ExitError {
		t.Fatalf("exit %d: %v", code, err)
	}
	// Messages may quote paths as given (DuplicateObject names the other
	// file), so compare the commands' properties: file, line, col, title.
	t.Chdir(root)
	fromRoot, _ := runValidateCmd(t, validateDir, "-o", "github")
	if got, want := properties(out.String()), properties(fromRoot); got != want {
		t.Errorf("from a subfolder:\n%s\nfrom the root:\n%s", got, want)
	}
}

// properties keeps "::level props" of each workflow command, without the
// message.
func properties(commands string) string {
	var b strings.Builder
	for _, l := range strings.Split(commands, "\n") {
		if i := strings.Index(l[min(2, len(l)):], "::"); i >= 0 {
			l = l[:i+2]
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

func TestValidateGitHubOneCommandPerFinding(t *testing.T) {
	t.Chdir(repoRoot(t))
	text, _ := runValidateCmd(t, validateDir)
	gh, _ := runValidateCmd(t, validateDir, "-o", "github")
	lines := strings.Split(strings.TrimSuffix(gh, "\n"), "\n")
	// The text format has one line per finding plus the count.
	if want := strings.Count(text, "\n") - 1; len(lines) != want {
		t.Fatalf("%d workflow commands for %d findings", len(lines), want)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error file=testdata/ci/validate/gateways/") && !strings.HasPrefix(l, "::warning file=testdata/ci/validate/gateways/") {
			t.Errorf("not a workflow command with a repository path: %q", l)
		}
		if !strings.Contains(l, ",title=") {
			t.Errorf("no title with the rule id: %q", l)
		}
	}
}

func TestValidateJSONMatchesText(t *testing.T) {
	t.Chdir(repoRoot(t))
	out, _ := runValidateCmd(t, validateDir, "-o", "json")
	var report struct {
		APIVersion, Kind string
		Summary          map[string]int
		Findings         []struct {
			File, Severity, Rule, Field, Message string
			Line, Column                         int
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	if report.APIVersion != "kubectl-mgi.kuma.io/v1alpha1" || report.Kind != "ValidationReport" {
		t.Errorf("header %q %q", report.APIVersion, report.Kind)
	}
	if report.Summary["errors"] != 9 || report.Summary["warnings"] != 4 || len(report.Findings) != 13 {
		t.Errorf("summary %v, %d findings; want 9 errors, 4 warnings", report.Summary, len(report.Findings))
	}
	rules := map[string]bool{}
	for _, f := range report.Findings {
		rules[f.Rule] = true
		if f.File == "" || f.Line == 0 || f.Column == 0 {
			t.Errorf("finding without a position: %+v", f)
		}
	}
	for _, r := range []string{"InvalidYAML", "UnknownField", "InvalidPort", "DuplicateObject", "NoGatewayMatched", "DeprecatedMeshAnnotation", "EmptySpec"} {
		if !rules[r] {
			t.Errorf("rule %s not reported", r)
		}
	}
}

func TestValidateExitCodes(t *testing.T) {
	t.Chdir(repoRoot(t))
	warningsOnly := validateDir + "/team-b/internal"
	if _, code := runValidateCmd(t, warningsOnly); code != ExitOK {
		t.Errorf("warnings only: exit %d, want 0", code)
	}
	if _, code := runValidateCmd(t, warningsOnly, "--strict"); code != ExitError {
		t.Errorf("warnings with --strict: exit %d, want 1", code)
	}
	if out, code := runValidateCmd(t, "docs/examples", "-o", "github"); code != ExitOK || out != "" {
		t.Errorf("clean folder: exit %d, output %q", code, out)
	}
}

func TestValidateRejectsUnknownOutput(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	err := runValidate(context.Background(), &ValidateOptions{IO: streams, Paths: []string{"."}, Output: "yaml"})
	if err == nil || !strings.Contains(err.Error(), `--output "yaml" is not supported; use text, json or github`) {
		t.Fatalf("err = %v", err)
	}
}
