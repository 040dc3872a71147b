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
	// Whichever object is refused first, every missing patch is listed.
	mustContain(t, "error", stderr,
		"error: forbidden: user system:serviceaccount:kubectl-mgi:kubectl-mgi-nopatch lacks 4 permissions this run needs",
		"  patch namespaces at the cluster scope\n",
		"  patch meshgateways.kuma.io at the cluster scope\n",
		"  patch services in namespace edge\n",
		"  patch deployments.apps in namespace edge\n",
	)
}

// A user who lacks several verbs on several resources gets them all in one
// message, with a Role that grants them; applying that Role (as an
// administrator) is all plan then needs.
func TestPlanCollectsEveryForbiddenGolden(t *testing.T) {
	t.Chdir(repoRoot(t))
	serverSideApply(t, "setup", edgeNamespace)
	const user = "system:serviceaccount:kubectl-mgi:kubectl-mgi-partial"
	// It may render (list Namespaces and MeshGateways) and read
	// Deployments, nothing else.
	serverSideApply(t, "setup", `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubectl-mgi-partial-read}
rules:
- {apiGroups: [""], resources: [namespaces], verbs: [list]}
- {apiGroups: [kuma.io], resources: [meshgateways], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kubectl-mgi-partial-read}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubectl-mgi-partial-read}
subjects: [{kind: ServiceAccount, name: kubectl-mgi-partial, namespace: kubectl-mgi}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: kubectl-mgi-partial-read, namespace: edge}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: kubectl-mgi-partial-read, namespace: edge}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: kubectl-mgi-partial-read}
subjects: [{kind: ServiceAccount, name: kubectl-mgi-partial, namespace: kubectl-mgi}]
`)
	kubeconfig, err := env.AddUser(user, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := mgi(t, "plan", "docs/examples", "--kubeconfig", kubeconfig)
	if code != 1 {
		t.Fatalf("plan with missing permissions: exit %d, want 1\n%s", code, stderr)
	}
	compareGolden(t, "forbidden/plan.txt", stderr)
	mustContain(t, "error", stderr,
		"forbidden: user "+user+" lacks 12 permissions this run needs",
		"  get, create, patch namespaces at the cluster scope\n",
		"  get, create, patch meshgateways.kuma.io at the cluster scope\n",
		"  get, create, patch services in namespace edge\n",
		"  create, patch deployments.apps in namespace edge\n",
		"  get meshgatewayinstances.kuma.io in namespace edge\n",
		"- kind: ServiceAccount\n  name: kubectl-mgi-partial\n  namespace: kubectl-mgi\n", "  name: kubectl-mgi-partial\n  namespace: edge\n",
	)
	mustNotContain(t, "error", stderr, "list namespaces", "get, create, patch deployments.apps")

	// The Role as printed is ready to apply, and enough.
	const intro = "(kubectl apply -f -):\n"
	i := strings.Index(stderr, intro)
	if i < 0 {
		t.Fatalf("no Role in:\n%s", stderr)
	}
	serverSideApply(t, "admin", stderr[i+len(intro):])
	if out, stderr, code := mgi(t, "plan", "docs/examples", "--kubeconfig", kubeconfig); code != 0 {
		t.Errorf("plan after applying the printed Role: exit %d, want 0\n%s\n%s", code, out, stderr)
	}

	// A user who may not even render is told everything too (the live
	// context read is refused before any object is planned).
	nobody, err := env.AddUser("kubectl-mgi-nobody", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code = mgi(t, "apply", "docs/examples", "--kubeconfig", nobody, "--applyset", "edge-set", "--prune")
	if code != 1 {
		t.Fatalf("apply as nobody: exit %d, want 1\n%s", code, stderr)
	}
	mustContain(t, "apply error", stderr,
		"forbidden: user kubectl-mgi-nobody lacks ",
		"  get, list, create, patch, delete namespaces at the cluster scope\n",
		"  get, list, create, patch, delete meshgateways.kuma.io at the cluster scope\n",
		"  get, list, create, patch, delete deployments.apps in namespace edge\n",
		"  get, create, patch secrets in namespace default\n",
		"  get meshgatewayinstances.kuma.io in namespace edge\n",
		"kind: ClusterRole\n", "kind: RoleBinding\n",
		"  kind: User\n  name: kubectl-mgi-nobody\n", "  name: kubectl-mgi-nobody\n  namespace: edge\n",
	)
}
