package citest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

var (
	usesLine   = regexp.MustCompile(`(?m)^\s*-?\s*uses:\s*(\S+)(.*)$`)
	pinnedUses = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$`)
	versionTag = regexp.MustCompile(`^\s+#\s+\S`)
)

// Every `uses:` in plugins/ci (workflows, composite actions and the
// READMEs users copy from) and in the project's own workflows (the
// release) names a full commit SHA with the version in a comment, as
// organisations that enforce SHA pinning require.
func TestEveryUsesIsPinnedByFullSHA(t *testing.T) {
	root := repoRoot(t)
	n := map[string]int{}
	walk := func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		top := strings.Join(strings.Split(filepath.ToSlash(rel), "/")[:2], "/")
		for _, m := range usesLine.FindAllStringSubmatch(string(b), -1) {
			n[top]++
			ref, rest := m[1], m[2]
			if strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "docker://") {
				continue
			}
			if !pinnedUses.MatchString(ref) {
				t.Errorf("%s: uses: %s is not pinned by a full commit SHA", rel, ref)
			} else if !versionTag.MatchString(rest) {
				t.Errorf("%s: uses: %s has no version comment (# v1.2.3)", rel, ref)
			}
		}
		return nil
	}
	for _, dir := range []string{"plugins/ci", ".github/workflows"} {
		if err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(dir)), walk); err != nil {
			t.Fatal(err)
		}
	}
	if n["plugins/ci"] < 10 {
		t.Errorf("found %d uses: lines in plugins/ci; the examples have more", n["plugins/ci"])
	}
	if n[".github/workflows"] < 5 {
		t.Errorf("found %d uses: lines in .github/workflows; the release workflow has more", n[".github/workflows"])
	}
}

// The project's own actions are pinned to a commit of this repository that
// holds them (a clone has the history).
func TestOwnActionsPinnedToACommitThatHasThem(t *testing.T) {
	root := repoRoot(t)
	if err := exec.Command("git", "-C", root, "rev-parse", "--git-dir").Run(); err != nil {
		t.Skip("not a git checkout: the pinned commits cannot be looked up")
	}
	own := regexp.MustCompile(`uses:\s*kubectl-mgi/kubectl-mgi/([\w./-]+)@([0-9a-f]{40})`)
	for _, f := range workflowFiles(t) {
		for _, m := range own.FindAllStringSubmatch(readFile(t, f), -1) {
			obj := m[2] + ":" + m[1] + "/action.yml"
			if out, err := exec.Command("git", "-C", root, "cat-file", "-e", obj).CombinedOutput(); err != nil {
				t.Errorf("%s: uses %s@%s, but that commit has no %s/action.yml: %v %s", f, m[1], m[2], m[1], err, out)
			}
		}
	}
}

// Every example workflow grants nothing at the top and, per job, reads the
// contents plus at most the one write it needs.
func TestWorkflowsAskForLeastPrivilege(t *testing.T) {
	allowedWrite := map[string]bool{"pull-requests": true, "issues": true}
	for _, f := range workflowFiles(t) {
		var wf struct {
			Permissions map[string]string `json:"permissions"`
			Jobs        map[string]struct {
				Permissions map[string]string `json:"permissions"`
			} `json:"jobs"`
		}
		if err := yaml.Unmarshal([]byte(readFile(t, f)), &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if wf.Permissions == nil || len(wf.Permissions) != 0 {
			t.Errorf("%s: top-level permissions %v, want {} (each job asks for its own)", f, wf.Permissions)
		}
		for name, j := range wf.Jobs {
			if j.Permissions["contents"] != "read" {
				t.Errorf("%s: job %s: contents %q, want read", f, name, j.Permissions["contents"])
			}
			for scope, level := range j.Permissions {
				if level == "write" && !allowedWrite[scope] {
					t.Errorf("%s: job %s asks for %s: write", f, name, scope)
				}
			}
		}
	}
}

func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "plugins", "ci", "examples", "*.yml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("example workflows: %v %v", files, err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "gitlab-ci.yml") {
			continue
		}
		rel, _ := filepath.Rel(repoRoot(t), f)
		out = append(out, rel)
	}
	return out
}
