package citest

import (
	"os/exec"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// The pre-commit hooks run as pre-commit would run them: entry, then the
// args a user sets (the folder), with no file names.
func TestPreCommitHooks(t *testing.T) {
	t.Chdir(repoRoot(t))
	var hooks []struct {
		ID            string `json:"id"`
		Entry         string `json:"entry"`
		Language      string `json:"language"`
		PassFilenames *bool  `json:"pass_filenames"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, ".pre-commit-hooks.yaml")), &hooks); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, map[string]string{"version": releaseVersion}, "MGI_RELEASE_URL=file://"+release(t))
	if _, stderr, code := r.step("Install"); code != 0 {
		t.Fatalf("install: exit %d\n%s", code, stderr)
	}
	want := map[string][2]int{ // hook: exit on a clean folder, on a folder with warnings only
		"kubectl-mgi-validate":        {0, 0},
		"kubectl-mgi-validate-strict": {0, 1},
	}
	if len(hooks) != len(want) {
		t.Errorf("%d hooks, want %d", len(hooks), len(want))
	}
	for _, h := range hooks {
		exits, ok := want[h.ID]
		if !ok {
			t.Errorf("hook %s is not tested", h.ID)
			continue
		}
		if h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("hook %s: pass_filenames must be false (validate needs the whole folder)", h.ID)
		}
		for i, dir := range []string{"docs/examples", "testdata/ci/validate/gateways/team-b/internal"} {
			args := append(strings.Fields(h.Entry), dir)
			// Through bash, so kubectl-mgi is looked up on the step's PATH.
			cmd := exec.Command("bash", append([]string{"-c", `exec "$@"`, "hook"}, args...)...)
			cmd.Env = []string{"PATH=" + r.path()}
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatalf("%s: %v", h.ID, err)
			}
			if code != exits[i] {
				t.Errorf("hook %s on %s: exit %d, want %d\n%s", h.ID, dir, code, exits[i], out)
			}
		}
	}
}

// The example workflow passes only inputs the action has, and the GitLab
// example downloads the archive the release publishes.
func TestExamplesMatchTheAction(t *testing.T) {
	var a action
	if err := yaml.Unmarshal([]byte(readFile(t, actionDir+"/action.yml")), &a); err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `json:"uses"`
				With map[string]string `json:"with"`
			} `json:"steps"`
		} `json:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "plugins/ci/examples/pull-request.yml")), &wf); err != nil {
		t.Fatal(err)
	}
	used := false
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if !strings.Contains(s.Uses, "/plugins/ci/github-action@") {
				continue
			}
			used = true
			for k := range s.With {
				if _, ok := a.Inputs[k]; !ok {
					t.Errorf("example passes input %q, which action.yml does not have", k)
				}
			}
			if s.With["version"] == "" || s.With["directory"] == "" {
				t.Errorf("example does not set version and directory: %v", s.With)
			}
		}
	}
	if !used {
		t.Error("the example workflow does not use the action")
	}

	gitlab := readFile(t, "plugins/ci/examples/gitlab-ci.yml")
	var anything map[string]any
	if err := yaml.Unmarshal([]byte(gitlab), &anything); err != nil {
		t.Fatalf("gitlab-ci.yml: %v", err)
	}
	mustContain(t, "gitlab-ci.yml", gitlab, "kubectl-mgi_linux_amd64.tar.gz", "checksums.txt", "sha256sum --check", "<!-- kubectl-mgi plan: ${MGI_DIR} -->")
}
