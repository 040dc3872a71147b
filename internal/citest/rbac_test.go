package citest

import (
	"strings"
	"testing"
)

// planRBAC is the RBAC of docs/ci.md, for a ServiceAccount; envtest users
// authenticate by certificate, and RBAC matches a ServiceAccount subject by
// this user name.
const (
	planRBAC = "plugins/ci/rbac/plan-rbac.yaml"
	planSA   = "system:serviceaccount:kubectl-mgi:kubectl-mgi-plan"
	// edgeNamespace exists before plan runs, so that plan dry-runs the
	// objects in it rather than inferring creates.
	edgeNamespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: edge, labels: {kuma.io/mesh: default}}\n"
)

// The Role in docs/ci.md is exactly the one this test grants, and plan
// works with it and nothing more.
func TestPlanWorksWithTheDocumentedRole(t *testing.T) {
	t.Chdir(repoRoot(t))
	rbac := readFile(t, planRBAC)
	if !strings.Contains(readFile(t, "docs/ci.md"), rbac) {
		t.Fatalf("docs/ci.md does not hold %s verbatim", planRBAC)
	}
	serverSideApply(t, "setup", edgeNamespace)
	serverSideApply(t, "setup", rbac)
	kubeconfig, err := env.AddUser(planSA, []string{"system:serviceaccounts", "system:serviceaccounts:kubectl-mgi"})
	if err != nil {
		t.Fatal(err)
	}

	out, stderr, code := mgi(t, "plan", "docs/examples", "--kubeconfig", kubeconfig, "--detailed-exitcode")
	if code != 2 {
		t.Fatalf("plan with the documented Role: exit %d, want 2 (changes)\n%s\n%s", code, out, stderr)
	}
	mustContain(t, "plan", out,
		"+ Service/edge/edge-gateway will be created",
		"+ Deployment/edge/edge-gateway will be created",
		"+ MeshGateway/edge-gateway will be created",
	)

	// RBAC cannot tell a dry-run from a write: the same grants apply, as
	// docs/ci.md warns.
	if _, stderr, code := mgi(t, "apply", "docs/examples", "--kubeconfig", kubeconfig); code != 0 {
		t.Errorf("apply with the plan Role: exit %d, want 0 (docs/ci.md says it can apply)\n%s", code, stderr)
	}
}

// Without patch, the server-side dry-run is refused, and the error says
// which grant is missing.
func TestPlanWithoutPatchSaysWhatIsMissing(t *testing.T) {
	t.Chdir(repoRoot(t))
	serverSideApply(t, "setup", edgeNamespace)
	noPatch := strings.NewReplacer(
		"verbs: [get, list, patch, create]", "verbs: [get, list, create]",
		"verbs: [get, patch, create]", "verbs: [get, create]",
		"name: kubectl-mgi-plan\n", "name: kubectl-mgi-nopatch\n",
	).Replace(readFile(t, planRBAC))
	if strings.Contains(noPatch, "patch,") {
		t.Fatalf("patch still granted:\n%s", noPatch)
	}
	serverSideApply(t, "setup", noPatch)
	kubeconfig, err := env.AddUser("system:serviceaccount:kubectl-mgi:kubectl-mgi-nopatch", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := mgi(t, "plan", "docs/examples", "--kubeconfig", kubeconfig)
	if code != 1 {
		t.Fatalf("plan without patch: exit %d, want 1\n%s", code, stderr)
	}
	// Which object is refused first depends on what is already applied:
	// plan reads "unchanged" off objects the tool owns without a dry-run.
	mustContain(t, "error", stderr,
		": forbidden: user system:serviceaccount:kubectl-mgi:kubectl-mgi-nopatch cannot patch ",
		" at the cluster scope; ask for a ClusterRole granting patch",
	)
}
