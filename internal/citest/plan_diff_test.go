package citest

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
)

// planJSON is the part of plan -o json these tests read.
type planJSON struct {
	Changes []struct {
		Action string `json:"action"`
		Object struct {
			Group, Version, Kind, Namespace, Name string
		} `json:"object"`
		Diff    string          `json:"diff"`
		Live    json.RawMessage `json:"live"`
		Desired json.RawMessage `json:"desired"`
	} `json:"changes"`
}

func planAsJSON(t *testing.T, args ...string) planJSON {
	t.Helper()
	out, stderr, code := mgi(t, append([]string{"plan", planDir, "--kubeconfig", env.KubeconfigPath, "--applyset", planApplySet, "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("plan -o json: exit %d\n%s", code, stderr)
	}
	var doc planJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("plan -o json: %v\n%s", err, out)
	}
	return doc
}

// hunks is a unified diff from its first hunk header on: the part that
// does not depend on how the program names the two sides.
func hunks(d string) string {
	if i := strings.Index(d, "\n@@ "); i >= 0 {
		return d[i+1:]
	}
	return ""
}

// externalFiles splits the output of `diff -u LIVE MERGED` into the diff of
// each file, by kubectl's file name.
func externalFiles(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	header := regexp.MustCompile(`^diff .*/LIVE-[^/]+/(\S+) \S*/MERGED-[^/]+/(\S+)`)
	var name string
	var b strings.Builder
	flush := func() {
		if name != "" {
			files[name] = hunks(b.String())
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(out, "\n") {
		if m := header.FindStringSubmatch(line); m != nil {
			flush()
			if m[1] != m[2] {
				t.Fatalf("the program compared %s with %s", m[1], m[2])
			}
			name = m[1]
			continue
		}
		if name != "" {
			b.WriteString(line)
		}
	}
	flush()
	return files
}

// KUBECTL_EXTERNAL_DIFF="diff -u" shows, for every object of the plan, the
// same hunks as kubectl-mgi's own diff, and no diff of an unchanged object;
// the text around it (summary, headers, conflicts) is still printed.
func TestPlanExternalDiffGivesTheSameHunks(t *testing.T) {
	t.Chdir(repoRoot(t))
	preparePlanCluster(t)
	own := planAsJSON(t)

	t.Setenv(diff.ExternalEnv, "diff -u")
	out, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "--applyset", planApplySet)
	if code != 0 {
		t.Fatalf("plan with %s: exit %d\n%s", diff.ExternalEnv, code, stderr)
	}
	mustContain(t, "plan", out, "Plan: 2 to create, 2 to update", "! Deployment/ci-plan/admin has conflicts", `.spec.replicas is owned by "kuma-cp"`)
	mustNotContain(t, "plan", out, "--- live/", "+++ desired/")
	files := externalFiles(t, out)
	compared := 0
	for _, c := range own.Changes {
		name := diff.FileName(c.Object.Group, c.Object.Version, c.Object.Kind, c.Object.Namespace, c.Object.Name)
		got, shown := files[name]
		if c.Diff == "" {
			if shown {
				t.Errorf("%s (%s): the program shows a diff the plan does not have:\n%s", name, c.Action, got)
			}
			continue
		}
		compared++
		if want := hunks(c.Diff); got != want {
			t.Errorf("%s (%s): the program's hunks differ from kubectl-mgi's\nprogram:\n%s\nkubectl-mgi:\n%s", name, c.Action, got, want)
		}
	}
	if compared < 5 {
		t.Errorf("only %d diffs compared; the plan should have creates, updates, a conflict and a delete", compared)
	}

	// A program that fails (exit status 2) fails the plan, as kubectl diff.
	t.Setenv(diff.ExternalEnv, "diff --no-such-option")
	if _, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath); code != 1 ||
		!strings.Contains(stderr, `KUBECTL_EXTERNAL_DIFF program "diff" exited with status 2`) {
		t.Errorf("a failing program: exit %d, want 1\n%s", code, stderr)
	}
}

// --diff-style compact shows the creates and the delete as one line each,
// the updates and the conflict as hunks with --diff-context lines.
func TestPlanCompactGolden(t *testing.T) {
	t.Chdir(repoRoot(t))
	preparePlanCluster(t)
	out, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "--applyset", planApplySet, "--diff-style", "compact", "--diff-context", "1")
	if code != 0 {
		t.Fatalf("plan --diff-style compact: exit %d\n%s", code, stderr)
	}
	compareGolden(t, "plan/compact.txt", out)
	mustContain(t, "compact plan", out,
		"+ Deployment/ci-plan/edge will be created (from "+planDir+"/team/edge.yaml:2:1): replicas 2, image ",
		"+ Service/ci-plan/edge will be created (from "+planDir+"/team/edge.yaml:2:1): type LoadBalancer, ports 8080/TCP (",
		"- ConfigMap/ci-plan/legacy will be deleted (prune): ",
	)
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "+apiVersion") || strings.HasPrefix(line, "-apiVersion") {
			t.Errorf("a whole object is shown: %q", line)
		}
	}
	if full, _, _ := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "--applyset", planApplySet); len(full) < 2*len(out) {
		t.Errorf("compact (%d bytes) is not much shorter than full (%d bytes)", len(out), len(full))
	}
}

// allocated and allocatedList are values the API server assigns afresh in
// every cluster; the golden file holds a placeholder.
var (
	allocated     = regexp.MustCompile(`("(clusterIP|nodePort|healthCheckNodePort)": )("[^"]*"|[0-9]+)`)
	allocatedList = regexp.MustCompile(`("clusterIPs": \[)[^\]]*\]`)
)

// plan -o json --include-objects carries both objects of every change,
// masked as the diff, and nothing the server keeps for itself.
func TestPlanJSONWithObjectsGolden(t *testing.T) {
	t.Chdir(repoRoot(t))
	preparePlanCluster(t)
	out, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "--applyset", planApplySet, "-o", "json", "--include-objects")
	if code != 0 {
		t.Fatalf("plan -o json --include-objects: exit %d\n%s", code, stderr)
	}
	compareGolden(t, "plan/objects.json", allocatedList.ReplaceAllString(allocated.ReplaceAllString(out, `$1"<allocated>"`), `$1"<allocated>"]`))
	mustNotContain(t, "JSON", out, "new-secret-value", "old-secret-value", "bmV3", "managedFields", "resourceVersion", `"uid"`)
	var doc planJSON
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Changes {
		live, desired := string(c.Live), string(c.Desired)
		switch {
		case c.Action == "create" && (live != "null" || desired == "null"):
			t.Errorf("create %s: live %s, desired %s", c.Object.Name, live, desired)
		case c.Action == "delete" && (live == "null" || desired != "null"):
			t.Errorf("delete %s: live %s, desired %s", c.Object.Name, live, desired)
		case (c.Action == "update" || c.Action == "unchanged") && (live == "null" || desired == "null"):
			t.Errorf("%s %s: live %s, desired %s", c.Action, c.Object.Name, live, desired)
		}
	}
	// Without the flag the document is as before: no objects.
	if plain := planAsJSON(t); len(plain.Changes) != len(doc.Changes) || plain.Changes[0].Live != nil {
		t.Errorf("plan -o json without --include-objects carries objects")
	}
}
