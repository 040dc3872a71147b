package cluster

import (
	"context"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// A user who may plan but not delete sees, in the plan, that apply --prune
// would be refused, with what to grant; one who may delete sees nothing.
func TestPlanSaysWhenPruneWouldBeForbidden(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	all := objects(t, ns, configMapDocs(3))
	if _, err := clientIn(t, ns).Apply(ctx, all, pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	for user, verbs := range map[string][]string{"planner": {"get", "list", "patch"}, "pruner": {"get", "list", "patch", "delete"}} {
		grantRules(t, ns, user,
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: verbs},
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"get", "list", "patch"}})
	}
	planAs := func(user string) *plan.Plan {
		t.Helper()
		kc, err := env.AddUser(user, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := flagsFor(kc)
		f.Namespace = &ns
		c, err := New(ctx, f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := c.Plan(ctx, all[:2], PlanOptions{ApplySet: "gateways"})
		if err != nil {
			t.Fatalf("plan as %s: %v", user, err)
		}
		if p.Summary()[plan.Delete] != 1 {
			t.Fatalf("plan as %s: summary %v, want 1 delete", user, p.Summary())
		}
		return p
	}

	p := planAs("planner")
	var got []finding.Finding
	for _, f := range p.Findings {
		if f.Rule == RulePruneForbidden {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Severity != finding.Warning ||
		!strings.Contains(got[0].Message, "forbidden to delete 1 configmaps in namespace "+ns) ||
		!strings.Contains(got[0].Message, "grant the verb delete on apiGroups [\"\"], resources [configmaps], in a Role in namespace "+ns) {
		t.Errorf("planner's findings: %v", p.Findings)
	}
	for _, f := range planAs("pruner").Findings {
		if f.Rule == RulePruneForbidden {
			t.Errorf("pruner may delete, yet: %v", f)
		}
	}
}
