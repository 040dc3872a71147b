package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// configMapDocs is n ConfigMaps named cm-0 ... in NS.
func configMapDocs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d, namespace: NS}\ndata: {i: \"%d\"}\n", i, i)
	}
	return b.String()
}

func refusal(t *testing.T, err error) *PruneRefusedError {
	t.Helper()
	var pr *PruneRefusedError
	if !errors.As(err, &pr) {
		t.Fatalf("error %v, want a refused prune", err)
	}
	return pr
}

func rules(l finding.List) []string {
	var out []string
	for _, f := range l {
		out = append(out, string(f.Severity)+" "+f.Rule)
	}
	return out
}

func TestPruneOfEmptyInputsIsRefusedUnlessAllowEmpty(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	if _, err := c.Apply(ctx, objects(t, ns, configMapDocs(2)), pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}

	p, err := c.Plan(ctx, nil, PlanOptions{ApplySet: "gateways"})
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan findings", rules(p.Findings), []string{"error " + RulePruneRefused})
	if !p.HasErrors() || !strings.Contains(p.Findings[0].Message, "--allow-empty") {
		t.Errorf("plan has errors %v (plan exits 1 on them), finding %v", p.HasErrors(), p.Findings[0])
	}

	res, err := c.Apply(ctx, nil, pruneOpts("gateways"))
	pr := refusal(t, err)
	if len(res.Pruned) != 0 || len(pr.Would) != 2 || !strings.Contains(err.Error(), "ConfigMap/"+ns+"/cm-1") || !strings.Contains(err.Error(), "--allow-empty") {
		t.Errorf("pruned %v, error:\n%v", pruned(res), err)
	}
	if !exists(t, configmaps, ns, "cm-0") || !exists(t, configmaps, ns, "cm-1") {
		t.Fatal("a refused prune deleted a member")
	}

	opts := pruneOpts("gateways")
	opts.PruneGuard.AllowEmpty = true
	if res, err = c.Apply(ctx, nil, opts); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "pruned", pruned(res), []string{"ConfigMap/" + ns + "/cm-0 pruned", "ConfigMap/" + ns + "/cm-1 pruned"})
}

func TestPruneOverTheThresholdIsRefused(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	all := objects(t, ns, configMapDocs(9))
	if _, err := c.Apply(ctx, all, pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	// 5 of 9 is more than half: refused, and the message lists them.
	p, err := c.Plan(ctx, all[:4], PlanOptions{ApplySet: "gateways"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rules(p.Findings); len(got) != 1 || got[0] != "error "+RulePruneRefused || p.Summary()[plan.Delete] != 5 {
		t.Errorf("plan: findings %v, summary %v", got, p.Summary())
	}
	_, err = c.Apply(ctx, all[:4], pruneOpts("gateways"))
	pr := refusal(t, err)
	if len(pr.Would) != 5 || !strings.Contains(err.Error(), "5 of the set's 9 members") || !strings.Contains(err.Error(), "--prune-threshold") {
		t.Errorf("error:\n%v", err)
	}
	if !exists(t, configmaps, ns, "cm-8") {
		t.Fatal("a refused prune deleted a member")
	}
	// Four at a time is below the floor of five.
	res, err := c.Apply(ctx, all[:5], pruneOpts("gateways"))
	if err != nil || len(res.Pruned) != 4 {
		t.Fatalf("pruning 4 of 9: %v, pruned %v", err, pruned(res))
	}
	// The explicit threshold lets a large prune through.
	if _, err := c.Apply(ctx, all, pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	opts := pruneOpts("gateways")
	opts.PruneGuard.Threshold = 100
	if res, err = c.Apply(ctx, all[:1], opts); err != nil || len(res.Pruned) != 8 {
		t.Fatalf("--prune-threshold 100: %v, pruned %v", err, pruned(res))
	}
}

func TestPruneNeverDeletesTheParentsNamespaceOrAKeptMember(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	docs := "apiVersion: v1\nkind: Namespace\nmetadata: {name: NS}\n" + configMapDocs(3)
	objs := objects(t, ns, docs)
	if _, err := c.Apply(ctx, objs, pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	// Another client marks cm-2 as never to be pruned.
	cm, err := admin(t).Resource(configmaps).Namespace(ns).Get(ctx, "cm-2", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cm.SetAnnotations(map[string]string{PruneAnnotation: PruneDisabled})
	if _, err := admin(t).Resource(configmaps).Namespace(ns).Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}

	rest := objs[1:2] // cm-0 only
	p, err := c.Plan(ctx, rest, PlanOptions{ApplySet: "gateways"})
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{"unchanged ConfigMap/" + ns + "/cm-0", "delete ConfigMap/" + ns + "/cm-1"})
	equalLists(t, "plan findings", rules(p.Findings), []string{"info " + RulePruneKept, "info " + RulePruneKept})

	res, err := c.Apply(ctx, rest, pruneOpts("gateways"))
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "pruned", pruned(res), []string{"ConfigMap/" + ns + "/cm-1 pruned"})
	var kept []string
	for _, k := range res.Kept {
		kept = append(kept, k.Object.String()+": "+k.Why)
	}
	equalLists(t, "kept", kept, []string{
		"ConfigMap/" + ns + "/cm-2: annotated " + PruneAnnotation + ": " + PruneDisabled,
		"Namespace/" + ns + ": it holds the ApplySet parent Secret/" + ns + "/gateways",
	})
	if !exists(t, configmaps, ns, "cm-2") || !exists(t, secrets, ns, "gateways") {
		t.Fatal("a kept member or the parent is gone")
	}
	// The kept members stay recorded: a later prune still finds them.
	parent, err := admin(t).Resource(secrets).Namespace(ns).Get(ctx, "gateways", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := parent.GetAnnotations()[ApplySetGroupKindsAnnotation]; got != "ConfigMap,Namespace" {
		t.Errorf("contains-group-kinds = %q", got)
	}
}

// An object of another ApplySet is a conflict, never adopted, even forced.
func TestMemberOfAnotherApplySetIsNeverAdopted(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	other := ApplySet{Kind: "Secret", Name: "theirs", Namespace: ns}
	create(t, configmaps, ns, "{apiVersion: v1, kind: ConfigMap, metadata: {name: cm-0, namespace: NS, labels: {applyset.kubernetes.io/part-of: "+other.ID()+"}}}")
	objs := objects(t, ns, configMapDocs(2))

	p, err := c.Plan(ctx, objs, PlanOptions{ApplySet: "ours"})
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{"conflict ConfigMap/" + ns + "/cm-0", "create ConfigMap/" + ns + "/cm-1"})
	if !strings.Contains(p.Changes[0].Note, "never adopted") {
		t.Errorf("note %q", p.Changes[0].Note)
	}
	for _, force := range []bool{false, true} {
		opts := pruneOpts("ours")
		opts.Force = force
		_, err := c.Apply(ctx, objs, opts)
		var fe *ForeignMemberError
		if !errors.As(err, &fe) || fe.SetID != other.ID() {
			t.Fatalf("force %v: error %v, want a member of another ApplySet", force, err)
		}
	}
	cm, err := admin(t).Resource(configmaps).Namespace(ns).Get(ctx, "cm-0", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cm.GetLabels()[ApplySetPartOfLabel] != other.ID() {
		t.Errorf("labels now %v", cm.GetLabels())
	}
}

// Members of a set planned and applied without naming it: no label
// removal is proposed, a warning says why, and apply keeps the label.
func TestForgottenApplySetKeepsMembership(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := clientIn(t, ns)
	objs := objects(t, ns, configMapDocs(2))
	if _, err := c.Apply(ctx, objs, pruneOpts("gateways")); err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{"unchanged ConfigMap/" + ns + "/cm-0", "unchanged ConfigMap/" + ns + "/cm-1"})
	equalLists(t, "findings", rules(p.Findings), []string{"warning " + RuleUnnamedApplySet})
	if f := p.Findings[0]; f.Object.Name != "cm-0" || !strings.Contains(f.Message, "2 objects of the inputs are live members") {
		t.Errorf("finding %+v", f)
	}
	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Applied[0].Note, "kept its label") {
		t.Errorf("note %q", res.Applied[0].Note)
	}
	set := ApplySet{Kind: "Secret", Name: "gateways", Namespace: ns}
	cm, err := admin(t).Resource(configmaps).Namespace(ns).Get(ctx, "cm-1", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cm.GetLabels()[ApplySetPartOfLabel] != set.ID() {
		t.Errorf("labels now %v", cm.GetLabels())
	}
}

// A set that real kubectl made (KUBECTL_APPLYSET=true) is left to kubectl:
// naming its parent is refused, and its members are conflicts in ours.
func TestApplySetOfRealKubectl(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not on PATH")
	}
	ctx := context.Background()
	ns := namespace(t)
	file := filepath.Join(t.TempDir(), "cm.yaml")
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(configMapDocs(1), "NS", ns)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(kubectl, "--kubeconfig", env.KubeconfigPath, "-n", ns, "apply", "--prune", "--applyset=kubectls", "-f", file)
	cmd.Env = append(os.Environ(), "KUBECTL_APPLYSET=true")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kubectl apply: %v\n%s", err, out)
	}
	c := clientIn(t, ns)
	objs := objects(t, ns, configMapDocs(2))
	_, err = c.Apply(ctx, objs, pruneOpts("kubectls"))
	if err == nil || !strings.Contains(err.Error(), "managed by kubectl/") {
		t.Fatalf("naming kubectl's parent: %v", err)
	}
	p, err := c.Plan(ctx, objs, PlanOptions{ApplySet: "ours"})
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{"conflict ConfigMap/" + ns + "/cm-0", "create ConfigMap/" + ns + "/cm-1"})
	_, err = c.Apply(ctx, objs, pruneOpts("ours"))
	var fe *ForeignMemberError
	if !errors.As(err, &fe) {
		t.Fatalf("apply: %v, want a member of another ApplySet", err)
	}
}

// The first apply on a cluster without the parent's namespace: the inputs
// create it, so it is applied first, then the parent, then the rest.
func TestFirstApplyCreatesTheParentsNamespaceFirst(t *testing.T) {
	ctx := context.Background()
	ns := strings.ToLower(strings.ReplaceAll(t.Name(), "Test", "fresh-"))[:30]
	t.Cleanup(func() {
		_ = admin(t).Resource(namespacesResource).Delete(context.Background(), ns, metav1.DeleteOptions{})
	})
	c := clientIn(t, ns)
	objs := objects(t, ns, "apiVersion: v1\nkind: Namespace\nmetadata: {name: NS}\n"+configMapDocs(1))

	p, err := c.Plan(ctx, objs, PlanOptions{ApplySet: "gateways"})
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan", actions(p), []string{"create Namespace/" + ns, "create ConfigMap/" + ns + "/cm-0"})

	dry := pruneOpts("gateways")
	dry.DryRun = true
	if _, err := c.Apply(ctx, objs, dry); err != nil {
		t.Fatalf("dry-run: %v", err)
	}
	if exists(t, namespacesResource, "", ns) {
		t.Fatal("a dry-run created the namespace")
	}
	// Without the Namespace in the inputs, nothing can hold the parent.
	if _, err := c.Apply(ctx, objs[1:], pruneOpts("gateways")); err == nil || !strings.Contains(err.Error(), "namespace "+ns+" does not exist") {
		t.Fatalf("apply without the namespace: %v", err)
	}

	res, err := c.Apply(ctx, objs, pruneOpts("gateways"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range res.Applied {
		got = append(got, a.Object.String()+" "+a.Action.Done())
	}
	equalLists(t, "applied", got, []string{"Namespace/" + ns + " created", "ConfigMap/" + ns + "/cm-0 created"})
	parent, err := admin(t).Resource(secrets).Namespace(ns).Get(ctx, "gateways", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := parent.GetAnnotations()[ApplySetGroupKindsAnnotation]; got != "ConfigMap,Namespace" {
		t.Errorf("contains-group-kinds = %q", got)
	}
	// The next run finds its parent where it left it.
	if res, err = c.Apply(ctx, objs, pruneOpts("gateways")); err != nil || len(res.Pruned) != 0 {
		t.Fatalf("second apply: %v, pruned %v", err, pruned(res))
	}
}
