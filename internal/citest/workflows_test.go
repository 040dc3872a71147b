package citest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// team is a folder as a team keeps it, here two ConfigMaps NAME-a and
// NAME-b in the default namespace (envtest runs no namespace controller,
// so a pruned Namespace would stay terminating).
func team(t *testing.T, name, value string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "gateways", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "-a\n  namespace: default\ndata:\n  mode: " + value + "\n---\n" +
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "-b\n  namespace: default\ndata:\n  mode: " + value + "\n"
	if err := os.WriteFile(filepath.Join(dir, "objects.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func installed(t *testing.T, r *runner) {
	t.Helper()
	if out, stderr, code := r.step("Install"); code != 0 {
		t.Fatalf("install: exit %d\n%s%s", code, out, stderr)
	}
}

// After a merge: the apply action applies the folder with its ApplySet and
// --wait and writes the job summary; once the folder is deleted, the same
// action prunes every member of the ApplySet.
func TestApplyActionAppliesThenPrunesADeletedFolder(t *testing.T) {
	t.Chdir(repoRoot(t))
	dir := team(t, "ci-apply", "on")
	r := newRunnerOf(t, actionDir+"/apply", map[string]string{
		"version": releaseVersion, "directory": dir, "applyset": "gateways-ci-apply", "namespace": "default",
		"kubeconfig": string(mustRead(t, env.KubeconfigPath)), "timeout": "1m",
	}, "MGI_RELEASE_URL=file://"+release(t))
	installed(t, r)
	out, stderr, code := r.step("Apply")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", code, out, stderr)
	}
	summary := string(mustRead(t, filepath.Join(r.tmp, "step_summary")))
	mustContain(t, "job summary", summary,
		"## kubectl mgi apply: "+dir,
		"Commit `"+headSHA+"` · context `"+envContext(t)+"` · applied ",
		":white_check_mark: **Applied**, pruned and ready.",
		"ConfigMap/default/ci-apply-a created",
	)
	mustNotContain(t, "job summary", summary, env.Config.Host)

	// The merge deleted the folder.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(r.tmp, "step_summary")); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = r.step("Apply")
	if code != 0 {
		t.Fatalf("apply of the deleted folder: exit %d\n%s%s", code, out, stderr)
	}
	summary = string(mustRead(t, filepath.Join(r.tmp, "step_summary")))
	mustContain(t, "job summary of the deleted folder", summary,
		":wastebasket: The folder was deleted: every member of ApplySet `gateways-ci-apply` is pruned.",
		"ConfigMap/default/ci-apply-a pruned", "ConfigMap/default/ci-apply-b pruned",
	)
	if _, _, code := mgi(t, "plan", team(t, "ci-apply", "on"), "--kubeconfig", env.KubeconfigPath, "--detailed-exitcode", "-o", "json"); code != 2 {
		t.Errorf("after the prune, planning the folder again: exit %d, want 2 (everything to create)", code)
	}
}

// The pre-merge action on a folder the pull request deletes: the comment
// shows each member of its ApplySet as a delete, and the check passes
// (deletes are changes, not blockers).
func TestPlanActionShowsADeletedFolder(t *testing.T) {
	t.Chdir(repoRoot(t))
	dir := team(t, "ci-deleted", "on")
	if _, stderr, code := mgi(t, "apply", dir, "--kubeconfig", env.KubeconfigPath, "--applyset", "gateways-ci-deleted", "-n", "default"); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, map[string]string{
		"version": releaseVersion, "directory": dir, "applyset": "gateways-ci-deleted", "namespace": "default",
		"kubeconfig": string(mustRead(t, env.KubeconfigPath)),
	}, "MGI_RELEASE_URL=file://"+release(t))
	installed(t, r)
	if out, stderr, code := r.step("Validate"); code != 0 || !strings.Contains(out, "deleted") {
		t.Fatalf("validate of a deleted folder: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := r.step("Plan")
	if code != 0 {
		t.Fatalf("plan of a deleted folder: exit %d\n%s%s", code, out, stderr)
	}
	o := r.outputs["plan"]
	if o["has-changes"] != "true" || o["blocked"] != "false" {
		t.Errorf("outputs %v", o)
	}
	comment := string(mustRead(t, o["comment-file"]))
	name := dir
	mustContain(t, "comment", comment,
		"<!-- kubectl-mgi plan: "+name+" -->\n## kubectl mgi plan: "+name+"\n\n:wastebasket: The pull request deletes this folder",
		"| :heavy_minus_sign: delete | 2 |",
		"<code>ConfigMap/default/ci-deleted-a</code> (prune)",
		"<code>ConfigMap/default/ci-deleted-b</code> (prune)",
	)
	// Without the ApplySet nothing tracks the objects: the step says so.
	r.inputs["applyset"] = ""
	if _, stderr, code := r.step("Plan"); code != 1 || !strings.Contains(stderr, "pass the folder's ApplySet") {
		t.Errorf("plan of a deleted folder without an ApplySet: exit %d\n%s", code, stderr)
	}
}

// The scheduled drift check: a change made in the cluster opens an issue
// with the plan; the next run updates it; once the cluster matches again
// the issue is closed.
func TestDriftActionOpensUpdatesAndClosesTheIssue(t *testing.T) {
	t.Chdir(repoRoot(t))
	dir := team(t, "ci-drift", "on")
	if _, stderr, code := mgi(t, "apply", dir, "--kubeconfig", env.KubeconfigPath, "--applyset", "gateways-ci-drift", "-n", "default"); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	r := newRunnerOf(t, actionDir+"/drift", map[string]string{
		"version": releaseVersion, "directory": dir, "applyset": "gateways-ci-drift", "namespace": "default",
		"kubeconfig": string(mustRead(t, env.KubeconfigPath)),
	}, "MGI_RELEASE_URL=file://"+release(t))
	ghLog := installFakeGH(t, r)
	installed(t, r)
	title := "kubectl-mgi drift: " + dir

	// No drift, no issue: nothing is written.
	out, stderr, code := r.step("Drift")
	if code != 0 || r.outputs["drift"]["drifted"] != "false" {
		t.Fatalf("drift check of a matching cluster: exit %d, outputs %v\n%s%s", code, r.outputs["drift"], out, stderr)
	}
	for _, c := range ghCalls(t, ghLog) {
		if contains(c, "--method") {
			t.Errorf("gh wrote although nothing drifted: %q", c)
		}
	}

	// Someone edits the ConfigMap in the cluster.
	serverSideApply(t, "kubectl-edit", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ci-drift-a\n  namespace: default\ndata:\n  mode: manual\n")
	os.Remove(ghLog)
	out, stderr, code = r.step("Drift")
	if code != 0 {
		t.Fatalf("drift check: exit %d\n%s%s", code, out, stderr)
	}
	if o := r.outputs["drift"]; o["drifted"] != "true" || o["issue"] != "42" {
		t.Errorf("outputs %v", o)
	}
	calls := ghCalls(t, ghLog)
	if len(calls) != 2 || !contains(calls[0], "repos/acme/gateways/issues?state=open&labels=kubectl-mgi-drift&per_page=100") {
		t.Fatalf("gh calls %q, want a listing and a POST", calls)
	}
	post := strings.Join(calls[1], " ")
	mustContain(t, "issue creation", post, "--method POST repos/acme/gateways/issues", "title="+title, "labels[]=kubectl-mgi-drift")
	body := issueBody(t, calls[1])
	mustContain(t, "issue body", body, "<!-- kubectl-mgi drift: ", "### "+title, "ConfigMap/default/ci-drift-a", ":warning: conflict | 1")

	// The next run finds the open issue by its title and updates it.
	os.Remove(ghLog)
	r.base = append(r.base, "FAKE_GH_COMMENTS=7\tkubectl-mgi drift: other\n42\t"+title+"\n")
	if _, stderr, code := r.step("Drift"); code != 0 {
		t.Fatalf("second drift check: exit %d\n%s", code, stderr)
	}
	calls = ghCalls(t, ghLog)
	if len(calls) != 2 || strings.Join(calls[1][:4], " ") != "api --method PATCH repos/acme/gateways/issues/42" {
		t.Errorf("gh calls %q, want the listing and a PATCH of issue 42", calls)
	}

	// Applying the folder again takes the field back: the issue is closed.
	if _, stderr, code := mgi(t, "apply", dir, "--kubeconfig", env.KubeconfigPath, "--applyset", "gateways-ci-drift", "-n", "default", "--force-conflicts"); code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, stderr)
	}
	os.Remove(ghLog)
	out, stderr, code = r.step("Drift")
	if code != 0 || r.outputs["drift"]["drifted"] != "false" {
		t.Fatalf("drift check after the fix: exit %d, outputs %v\n%s%s", code, r.outputs["drift"], out, stderr)
	}
	calls = ghCalls(t, ghLog)
	if len(calls) != 3 {
		t.Fatalf("gh calls %q, want the listing, a comment and the close", calls)
	}
	mustContain(t, "comment", strings.Join(calls[1], " "), "--method POST repos/acme/gateways/issues/42/comments", "matches `")
	mustContain(t, "close", strings.Join(calls[2], " "), "--method PATCH repos/acme/gateways/issues/42 -f state=closed")
	mustContain(t, "drift output", out, "closed issue #42")
}

// issueBody is what a gh call sent as -F body=@FILE: the fake gh keeps a
// copy, FILE.sent, since the step removes FILE when it ends.
func issueBody(t *testing.T, call []string) string {
	t.Helper()
	for _, a := range call {
		if p, ok := strings.CutPrefix(a, "body=@"); ok {
			if b, err := os.ReadFile(p + ".sent"); err == nil {
				return string(b)
			}
			t.Fatalf("the body file %s is gone", p)
		}
	}
	t.Fatalf("no body in %q", call)
	return ""
}

// folders.sh lists the folders a change added, changed or deleted, with
// their ApplySets, and every folder without a base.
func TestFoldersScript(t *testing.T) {
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=ci@example.com", "-c", "user.name=ci"}, args...)...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write := func(rel, body string) {
		p := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("gateways/shop/a.yaml", "a")
	write("gateways/old/b.yaml", "b")
	write("gateways/pay/c.yaml", "c")
	write("gateways/README.md", "top-level files are not folders")
	git("add", "-A")
	git("commit", "-qm", "base")
	git("checkout", "-qb", "change")
	write("gateways/shop/a.yaml", "changed")
	write("gateways/New_Team/x.yaml", "new")
	write("gateways/README.md", "edited")
	if err := os.RemoveAll(filepath.Join(repo, "gateways/old")); err != nil {
		t.Fatal(err)
	}
	git("add", "-A")
	git("commit", "-qm", "change")
	// Meanwhile main changes another folder: not part of the pull request.
	git("checkout", "-q", "main")
	write("gateways/pay/c.yaml", "main moved")
	git("commit", "-qam", "main")
	git("checkout", "-q", "change")

	script := filepath.Join(repoRoot(t), actionDir, "folders.sh")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(script, args...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("folders.sh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if got, want := run("gateways", "main", "HEAD"), `[{"directory":"gateways/New_Team","applyset":"gateways-new-team","deleted":false},{"directory":"gateways/old","applyset":"gateways-old","deleted":true},{"directory":"gateways/shop","applyset":"gateways-shop","deleted":false}]`+"\n"; got != want {
		t.Errorf("changed folders:\n%s\nwant\n%s", got, want)
	}
	if got, want := run("gateways/"), `[{"directory":"gateways/New_Team","applyset":"gateways-new-team","deleted":false},{"directory":"gateways/pay","applyset":"gateways-pay","deleted":false},{"directory":"gateways/shop","applyset":"gateways-shop","deleted":false}]`+"\n"; got != want {
		t.Errorf("every folder:\n%s\nwant\n%s", got, want)
	}
	if got := run("gateways", "HEAD", "HEAD"); got != "[]\n" {
		t.Errorf("no change: %s", got)
	}
}
