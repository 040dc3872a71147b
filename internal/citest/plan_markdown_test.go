package citest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planDir is the desired state of the plan golden tests; planBefore is
// what the cluster holds before (applied with `kubectl mgi apply`).
const (
	planDir    = "testdata/ci/plan/gateways"
	planBefore = "testdata/ci/plan/before"
	// planApplySet is the ApplySet both are applied with: the ConfigMap
	// that planBefore has and planDir lacks is a delete.
	planApplySet = "ci-plan-set"
)

// kumaCPReplicas makes kuma-cp the owner of the admin Deployment's
// spec.replicas, as Kuma's control plane (or an autoscaler) would be.
const kumaCPReplicas = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: admin
  namespace: ci-plan
spec:
  replicas: 5
`

// preparePlanCluster applies planBefore (taking fields back, so that tests
// can run in any order) and hands spec.replicas of the admin
// Deployment to kuma-cp, so that planning planDir gives every action: the
// Namespace, MeshGateway and admin Service are unchanged, the ConfigMap and
// Secret updated, the edge Deployment and Service created, the admin
// Deployment a conflict, the legacy ConfigMap deleted.
func preparePlanCluster(t *testing.T) {
	t.Helper()
	if _, stderr, code := mgi(t, "apply", planBefore, "--kubeconfig", env.KubeconfigPath, "--force-conflicts", "--applyset", planApplySet); code != 0 {
		t.Fatalf("apply %s: exit %d\n%s", planBefore, code, stderr)
	}
	serverSideApply(t, "kuma-cp", kumaCPReplicas)
}

// planEpoch is the time the golden comments state (SOURCE_DATE_EPOCH).
const planEpoch = "1764619200" // 2025-12-01 20:00:00 UTC

func TestPlanMarkdownGoldenEveryAction(t *testing.T) {
	t.Chdir(repoRoot(t))
	t.Setenv("SOURCE_DATE_EPOCH", planEpoch)
	preparePlanCluster(t)
	out := filepath.Join(t.TempDir(), "plan.md")
	_, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "-o", "markdown", "--out", out, "--detailed-exitcode", "--applyset", planApplySet, "--commit", headSHA)
	if code != 2 {
		t.Fatalf("plan --detailed-exitcode: exit %d, want 2\n%s", code, stderr)
	}
	mustContain(t, "stderr", stderr, "Plan written to "+out)
	md := readPlan(t, out)
	compareGolden(t, "plan/expected.md", md)

	// The comment is ready to post: every action counted, secrets masked,
	// nothing the server assigns (cluster IPs, node ports) in it.
	mustContain(t, "plan", md,
		"Commit `"+headSHA+"` · context `"+envContext(t)+"` · planned 2025-12-01 20:00:00 UTC\n",
		":x: **Apply would stop** on 1 object: 1 with conflicts.",
		"| :heavy_plus_sign: create | 2 |",
		"| :pencil2: update | 2 |",
		"| :heavy_minus_sign: delete | 1 |",
		"ConfigMap/ci-plan/legacy",
		"| :warning: conflict | 1 |",
		"| :white_check_mark: unchanged | 3 |",
		"- `.spec.replicas` is owned by `kuma-cp`",
		"-  token: '*** (before)'",
		"+  token: '*** (after)'",
	)
	mustNotContain(t, "plan", md, env.Config.Host, "new-secret-value", "old-secret-value", "bmV3",
		"resourceVersion", "uid:", "creationTimestamp", "managedFields", "generation:", "clusterIP", "nodePort")

	// Identical input, identical output.
	again := filepath.Join(t.TempDir(), "plan.md")
	if _, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "-o", "markdown", "--out", again, "--applyset", planApplySet, "--commit", headSHA); code != 0 {
		t.Fatalf("second plan: exit %d\n%s", code, stderr)
	}
	if readPlan(t, again) != md {
		t.Error("planning the same directory twice gave different comments")
	}
}

func TestPlanMarkdownGoldenOverSizeCap(t *testing.T) {
	t.Chdir(repoRoot(t))
	t.Setenv("SOURCE_DATE_EPOCH", planEpoch)
	preparePlanCluster(t)
	out := filepath.Join(t.TempDir(), "plan.md")
	const maxSize = 2500
	_, stderr, code := mgi(t, "plan", planDir, "--kubeconfig", env.KubeconfigPath, "-o", "markdown", "--out", out, "--max-size", "2500", "--title", "Plan of gateways/")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	md := readPlan(t, out)
	if len(md) > maxSize {
		t.Errorf("%d bytes, over the cap of %d", len(md), maxSize)
	}
	compareGolden(t, "plan/over-cap.md", md)
	mustContain(t, "capped plan", md,
		"## Plan of gateways/",
		"| :heavy_plus_sign: create | 2 |",
		"**Output truncated** (size cap 2500 bytes):",
		"changed objects are not shown in full.",
	)
	// Every changed object is shown in full or named with its action.
	// (Planned without --applyset, the members keep their ApplySet label:
	// objects whose only change was losing it are unchanged.)
	for _, c := range [][2]string{{"create", "Deployment/ci-plan/edge"}, {"conflict", "Deployment/ci-plan/admin"}, {"create", "Service/ci-plan/edge"}, {"update", "ConfigMap/ci-plan/settings"}} {
		shown := strings.Contains(md, "<b>"+c[0]+"</b> <code>"+c[1]+"</code>")
		named := strings.Contains(md, " "+c[0]+" `"+c[1]+"`\n")
		if shown == named {
			t.Errorf("capped plan: %s %s shown %v, named %v; want exactly one", c[0], c[1], shown, named)
		}
	}
}

// readPlan reads the --out file and checks no temporary file is left.
func readPlan(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); err == nil {
		t.Errorf("%s.tmp left behind", path)
	}
	return string(b)
}
