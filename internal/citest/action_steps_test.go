package citest

import (
	"k8s.io/client-go/tools/clientcmd"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const releaseVersion = "v9.9.9"

// The action's steps, run as GitHub would run them on a pull request:
// install from a release, validate, plan against the test API server, and
// post the comment, then update it on the next push.
func TestActionStepsEndToEnd(t *testing.T) {
	t.Chdir(repoRoot(t))
	preparePlanCluster(t)
	rel := release(t)
	r := newRunner(t, map[string]string{
		"version":    releaseVersion,
		"directory":  "./" + planDir + "/",
		"kubeconfig": string(mustRead(t, env.KubeconfigPath)),
		"applyset":   planApplySet,
	}, "MGI_RELEASE_URL=file://"+rel)
	ghLog := installFakeGH(t, r)

	out, stderr, code := r.step("Install")
	if code != 0 {
		t.Fatalf("install: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "install output", out, "kubectl-mgi "+releaseVersion)

	out, stderr, code = r.step("Validate")
	if code != 0 {
		t.Fatalf("validate: exit %d\n%s%s", code, out, stderr)
	}
	mustContain(t, "validate output", out, "no errors")

	// The admin Deployment has a conflict: apply would stop, so the step
	// fails after writing the comment, which says so.
	out, stderr, code = r.step("Plan")
	if code != 1 {
		t.Fatalf("plan with a conflict: exit %d, want 1\n%s%s", code, out, stderr)
	}
	mustContain(t, "plan step stderr", stderr, "apply would stop: 1 with conflicts, 0 objects in error")
	outputs := r.outputs["plan"]
	if outputs["has-changes"] != "true" || outputs["blocked"] != "true" || outputs["conflicts"] != "1" || outputs["errors"] != "0" || outputs["comment-file"] == "" || outputs["json-file"] == "" {
		t.Fatalf("plan outputs %v", outputs)
	}
	comment := string(mustRead(t, outputs["comment-file"]))
	marker := "<!-- kubectl-mgi plan: testdata/ci/plan/gateways -->\n"
	if !strings.HasPrefix(comment, marker) {
		t.Fatalf("comment does not start with the marker %q:\n%s", marker, comment)
	}
	mustContain(t, "comment", comment,
		// The heading names the folder as the marker does, not as typed.
		marker+"## kubectl mgi plan: testdata/ci/plan/gateways\n\nCommit `"+headSHA+"` · context `"+envContext(t)+"`",
		"| Action | Objects |\n| --- | ---: |\n| :heavy_plus_sign: create | 2 |\n| :pencil2: update | 2 |\n| :recycle: replace | 0 |\n| :heavy_minus_sign: delete | 1 |\n| :handshake: take-over | 0 |\n| :warning: conflict | 1 |\n| :x: error | 0 |\n| :white_check_mark: unchanged | 3 |\n",
		":x: **Apply would stop** on 1 object: 1 with conflicts. This check fails until they are resolved",
		"<details><summary>:warning: <b>conflict</b> <code>Deployment/ci-plan/admin</code>",
		"+  token: '*** (after)'",
	)
	mustNotContain(t, "comment", comment, env.Config.Host, strings.TrimPrefix(env.Config.Host, "https://"))
	mustNotContain(t, "comment", comment, "new-secret-value", "client-key-data", "certificate-authority-data")

	// First push: no comment yet, so one is posted.
	out, stderr, code = r.step("Comment")
	if code != 0 {
		t.Fatalf("comment: exit %d\n%s%s", code, out, stderr)
	}
	calls := ghCalls(t, ghLog)
	if len(calls) != 2 {
		t.Fatalf("gh calls %q, want a listing and a POST", calls)
	}
	if calls[0][0] != "api" || !contains(calls[0], "repos/acme/gateways/issues/7/comments") || !contains(calls[0], "--paginate") {
		t.Errorf("listing: gh %q", calls[0])
	}
	if want := []string{"api", "--method", "POST", "repos/acme/gateways/issues/7/comments", "-F", "body=@" + outputs["comment-file"], "--silent"}; strings.Join(calls[1], " ") != strings.Join(want, " ") {
		t.Errorf("post: gh %q, want %q", calls[1], want)
	}

	// Next push: the listing finds the marked comment (among others), which
	// is updated in place.
	os.Remove(ghLog)
	r.base = append(r.base, "FAKE_GH_COMMENTS="+
		"11\t<!-- kubectl-mgi plan: other/folder -->\n"+
		"12\t"+strings.TrimSuffix(marker, "\n")+"\n")
	if out, stderr, code = r.step("Comment"); code != 0 {
		t.Fatalf("comment again: exit %d\n%s%s", code, out, stderr)
	}
	calls = ghCalls(t, ghLog)
	if len(calls) != 2 || strings.Join(calls[1][:4], " ") != "api --method PATCH repos/acme/gateways/issues/comments/12" {
		t.Errorf("update: gh calls %q, want a PATCH of comment 12", calls)
	}
	mustContain(t, "update output", out, "Updated comment 12 on acme/gateways#7")
}

func TestActionValidateAnnotates(t *testing.T) {
	t.Chdir(repoRoot(t))
	r := newRunner(t, map[string]string{"version": releaseVersion, "directory": "testdata/ci/validate/gateways"},
		"MGI_RELEASE_URL=file://"+release(t))
	if _, stderr, code := r.step("Install"); code != 0 {
		t.Fatalf("install: exit %d\n%s", code, stderr)
	}
	out, _, code := r.step("Validate")
	if code != 1 {
		t.Errorf("validate of a folder with errors: exit %d, want 1", code)
	}
	if want := string(mustRead(t, "testdata/ci/validate/expected.github")); out != want {
		t.Errorf("validate step output differs from testdata/ci/validate/expected.github:\n%s", out)
	}
	r.inputs["directory"] = "testdata/ci/validate/gateways/team-b/internal"
	r.inputs["strict"] = "true"
	if out, _, code := r.step("Validate"); code != 1 || !strings.HasPrefix(out, "::warning file=testdata/ci/validate/gateways/team-b/internal/instances.yaml,") {
		t.Errorf("strict validate of warnings: exit %d\n%s", code, out)
	}
}

func TestActionInstallRefusesABadChecksum(t *testing.T) {
	rel := release(t)
	sums := filepath.Join(rel, "checksums.txt")
	b := mustRead(t, sums)
	// Change the last hex digit of the archive's line.
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	last := lines[len(lines)-1]
	swap := map[byte]byte{'0': '1'}
	c := last[63]
	if s, ok := swap[c]; ok {
		c = s
	} else {
		c = '0'
	}
	lines[len(lines)-1] = last[:63] + string(c) + last[64:]
	if err := os.WriteFile(sums, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, map[string]string{"version": releaseVersion}, "MGI_RELEASE_URL=file://"+rel)
	out, stderr, code := r.step("Install")
	if code == 0 {
		t.Fatalf("install with a wrong checksum succeeded:\n%s", out)
	}
	mustContain(t, "install error", stderr, "checksum mismatch for kubectl-mgi_", "tampered")
	if _, err := os.Stat(filepath.Join(r.tmp, "kubectl-mgi", "bin", "kubectl-mgi")); err == nil {
		t.Error("the binary was installed anyway")
	}

	r = newRunner(t, map[string]string{"version": "v0.0.1"}, "MGI_RELEASE_URL=file://"+filepath.Join(rel, "missing"))
	if _, stderr, code := r.step("Install"); code == 0 || !strings.Contains(stderr, "check that release v0.0.1 exists") {
		t.Errorf("install of a missing release: exit %d\n%s", code, stderr)
	}
}

// A plan that fails still leaves a comment that says why, and fails the
// step.
func TestActionPlanFailureComment(t *testing.T) {
	t.Chdir(repoRoot(t))
	kubeconfig := regexp.MustCompile(`(?m)^(\s*server: ).*$`).ReplaceAllString(string(mustRead(t, env.KubeconfigPath)), "${1}https://127.0.0.1:1")
	if !strings.Contains(kubeconfig, "server: https://127.0.0.1:1\n") {
		t.Fatalf("no server line replaced:\n%s", kubeconfig)
	}
	r := newRunner(t, map[string]string{"version": releaseVersion, "directory": "./" + planDir, "kubeconfig": kubeconfig},
		"MGI_RELEASE_URL=file://"+release(t))
	if _, stderr, code := r.step("Install"); code != 0 {
		t.Fatalf("install: exit %d\n%s", code, stderr)
	}
	_, stderr, code := r.step("Plan")
	if code != 1 {
		t.Fatalf("plan against an unreachable server: exit %d, want 1\n%s", code, stderr)
	}
	comment := string(mustRead(t, r.outputs["plan"]["comment-file"]))
	mustContain(t, "failure comment", comment,
		"<!-- kubectl-mgi plan: testdata/ci/plan/gateways -->\n## kubectl mgi plan: testdata/ci/plan/gateways\n\nCommit `"+headSHA+"` · context",
		":x: **plan failed** (exit status 1)",
		"<API server>",
		"context `",
	)
	// The comment names the context, never the server's address.
	mustNotContain(t, "failure comment", comment, "127.0.0.1:1")
	mustNotContain(t, "plan step stderr", stderr, "127.0.0.1:1")
	if r.outputs["plan"]["has-changes"] != "false" {
		t.Errorf("outputs %v", r.outputs["plan"])
	}
}

// ghCalls splits the fake gh's log into calls.
func ghCalls(t *testing.T, log string) [][]string {
	t.Helper()
	var calls [][]string
	for _, block := range strings.Split(strings.TrimSuffix(string(mustRead(t, log)), "\n\n"), "\n\n") {
		calls = append(calls, strings.Split(block, "\n"))
	}
	return calls
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// envContext is the current context of the test API server's kubeconfig.
func envContext(t *testing.T) string {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(env.KubeconfigPath)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.CurrentContext
}
