package citest

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"

	"sigs.k8s.io/yaml"
)

// actionDir is the composite action under test.
const actionDir = "plugins/ci/github-action"

// headSHA is the pull request's head commit the fake event carries.
const headSHA = "5d41402abc4b2a76b9719d911017c592ae5e4b2f"

// action is the part of action.yml that says how each step runs.
type action struct {
	Inputs map[string]struct {
		Default string `json:"default"`
	} `json:"inputs"`
	Runs struct {
		Using string `json:"using"`
		Steps []struct {
			Name string            `json:"name"`
			ID   string            `json:"id"`
			Run  string            `json:"run"`
			Env  map[string]string `json:"env"`
		} `json:"steps"`
	} `json:"runs"`
}

// runner plays GitHub Actions for the composite action: it runs each step's
// `run` with bash, with the step's env resolved from the inputs, the event
// and earlier steps' outputs, in a workspace of its own. GitHub itself is
// not involved; `gh` is a fake that records its arguments.
type runner struct {
	t       *testing.T
	action  action
	inputs  map[string]string
	base    []string // environment every step gets
	outputs map[string]map[string]string
	tmp     string
}

func newRunner(t *testing.T, inputs map[string]string, extraEnv ...string) *runner {
	t.Helper()
	return newRunnerOf(t, actionDir, inputs, extraEnv...)
}

// newRunnerOf plays the composite action in folder dir (under the
// repository root).
func newRunnerOf(t *testing.T, dir string, inputs map[string]string, extraEnv ...string) *runner {
	t.Helper()
	var a action
	if err := yaml.Unmarshal([]byte(readFile(t, dir+"/action.yml")), &a); err != nil {
		t.Fatalf("%s/action.yml: %v", dir, err)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using = %q, want composite", a.Runs.Using)
	}
	for name, in := range a.Inputs {
		if _, ok := inputs[name]; !ok {
			inputs[name] = in.Default
		}
	}
	tmp := t.TempDir()
	root := repoRoot(t)
	base := []string{
		"HOME=" + tmp,
		"RUNNER_TEMP=" + tmp,
		"GITHUB_ACTION_PATH=" + filepath.Join(root, dir),
		"GITHUB_STEP_SUMMARY=" + filepath.Join(tmp, "step_summary"),
		"GITHUB_PATH=" + filepath.Join(tmp, "github_path"),
		"GITHUB_REPOSITORY=acme/gateways",
	}
	return &runner{t: t, action: a, inputs: inputs, base: append(base, extraEnv...), outputs: map[string]map[string]string{}, tmp: tmp}
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`)

// resolve evaluates the few expressions the action's env uses.
func (r *runner) resolve(v string) string {
	return expr.ReplaceAllStringFunc(v, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		switch {
		case strings.HasPrefix(e, "inputs."):
			// A default may itself be an expression, as GitHub allows.
			return r.resolve(r.inputs[strings.TrimPrefix(e, "inputs.")])
		case e == "github.event.pull_request.number":
			return "7"
		case e == "github.token":
			return "fake-token"
		case e == "github.event.pull_request.head.sha || github.sha", e == "github.sha":
			return headSHA
		case strings.HasPrefix(e, "steps."):
			parts := strings.Split(e, ".") // steps.ID.outputs.NAME
			return r.outputs[parts[1]][parts[3]]
		}
		r.t.Fatalf("action.yml uses an expression the test does not know: %s", e)
		return ""
	})
}

// step runs the step whose name starts with prefix, from the repository
// root, and returns its stdout, stderr and exit status.
func (r *runner) step(prefix string) (string, string, int) {
	r.t.Helper()
	for _, s := range r.action.Runs.Steps {
		if !strings.HasPrefix(s.Name, prefix) {
			continue
		}
		out := filepath.Join(r.tmp, "github_output")
		if err := os.WriteFile(out, nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
		cmd := exec.Command("bash", "-e", "-c", s.Run)
		cmd.Dir = repoRoot(r.t)
		cmd.Env = append(append([]string{}, r.base...), "GITHUB_OUTPUT="+out, "PATH="+r.path())
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+r.resolve(v))
		}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			r.t.Fatalf("step %q: %v", s.Name, err)
		}
		if s.ID != "" {
			r.outputs[s.ID] = readOutputs(r.t, out)
		}
		return stdout.String(), stderr.String(), code
	}
	r.t.Fatalf("action.yml has no step named %q...", prefix)
	return "", "", 0
}

// path is what GitHub gives a step: the folders earlier steps added to
// GITHUB_PATH (the latest first), then the system's. kubectl-mgi is only
// found if the install step put it there.
func (r *runner) path() string {
	dirs := []string{}
	if b, err := os.ReadFile(filepath.Join(r.tmp, "github_path")); err == nil {
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if l != "" {
				dirs = append([]string{l}, dirs...)
			}
		}
	}
	dirs = append(dirs, filepath.Join(r.tmp, "fakebin"), "/usr/local/bin", "/usr/bin", "/bin")
	return strings.Join(dirs, ":")
}

func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			out[k] = v
		}
	}
	return out
}

var (
	releaseOnce sync.Once
	releaseDir  string
	releaseErr  string
)

// release is a folder laid out as a GitHub release of kubectl-mgi
// releaseVersion, built once per test run; each call gets its own copy, so
// a test may tamper with it.
func release(t *testing.T) string {
	t.Helper()
	releaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kubectl-mgi-release-")
		if err != nil {
			releaseErr = err.Error()
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		releaseDir = dir
		releaseErr = buildRelease(dir, releaseVersion)
	})
	if releaseErr != "" {
		t.Fatal(releaseErr)
	}
	copyDir := t.TempDir()
	entries, err := os.ReadDir(releaseDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.WriteFile(filepath.Join(copyDir, e.Name()), mustRead(t, filepath.Join(releaseDir, e.Name())), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return copyDir
}

// buildRelease builds kubectl-mgi as the release would (a versioned binary
// in kubectl-mgi_<os>_<arch>.tar.gz, beside checksums.txt) into dir. It
// returns what went wrong, or "".
func buildRelease(dir, version string) string {
	root, err := testenv.RepoRoot()
	if err != nil {
		return err.Error()
	}
	bin := filepath.Join(dir, "build", "kubectl-mgi")
	build := exec.Command("go", "build", "-o", bin, "-ldflags", "-X github.com/kubectl-mgi/kubectl-mgi/internal/version.Version="+version, "./cmd/kubectl-mgi")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Sprintf("go build: %v\n%s", err, out)
	}
	defer os.RemoveAll(filepath.Dir(bin))
	name := fmt.Sprintf("kubectl-mgi_%s_%s.tar.gz", runtime.GOOS, runtime.GOARCH)
	archive := filepath.Join(dir, name)
	if err := writeTarGz(archive, bin); err != nil {
		return err.Error()
	}
	b, err := os.ReadFile(archive)
	if err != nil {
		return err.Error()
	}
	sum := sha256.Sum256(b)
	checksums := fmt.Sprintf("%s  kubectl-mgi_windows_amd64.zip\n%s  %s\n", strings.Repeat("0", 64), hex.EncodeToString(sum[:]), name)
	if err := os.WriteFile(filepath.Join(dir, "checksums.txt"), []byte(checksums), 0o644); err != nil {
		return err.Error()
	}
	return ""
}

// writeTarGz writes an archive laid out as goreleaser's: files at the top.
func writeTarGz(path, bin string) error {
	body, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, file := range []struct {
		name string
		body []byte
		mode int64
	}{{"README.md", []byte("kubectl-mgi\n"), 0o644}, {"kubectl-mgi", body, 0o755}} {
		if err := tw.WriteHeader(&tar.Header{Name: file.name, Mode: file.mode, Size: int64(len(file.body))}); err != nil {
			return err
		}
		if _, err := tw.Write(file.body); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeGH is a `gh` that appends its arguments (one per line, then a blank
// line) to a log, answers a listing (comments, issues) with
// FAKE_GH_COMMENTS, and the creation of an issue with its number, 42.
const fakeGH = `#!/usr/bin/env bash
for a in "$@"; do printf '%s\n' "$a"; done >>"$FAKE_GH_LOG"
echo >>"$FAKE_GH_LOG"
# The step removes its files when it ends; keep what was sent.
for a in "$@"; do
  case $a in body=@*) cp "${a#body=@}" "${a#body=@}.sent" ;; esac
done
case " $* " in
  *" --method POST "*" --jq .number "*) echo 42 ;;
  *" --method "*) ;;
  *) printf '%s' "${FAKE_GH_COMMENTS:-}" ;;
esac
`

func installFakeGH(t *testing.T, r *runner) string {
	t.Helper()
	dir := filepath.Join(r.tmp, "fakebin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "gh"), []byte(fakeGH), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(r.tmp, "gh.log")
	r.base = append(r.base, "FAKE_GH_LOG="+log)
	return log
}
