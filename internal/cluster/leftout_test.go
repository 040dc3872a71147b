package cluster

import (
	"context"
	"sort"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

const scaledDocs = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers:
      - name: kuma-gateway
        image: IMAGE
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: NS}
data: {a: "1", b: "2"}
`

func scaledObjects(t *testing.T, ns, replicas, image string) []Object {
	return objects(t, ns, strings.NewReplacer("REPLICAS", replicas, "IMAGE", image).Replace(scaledDocs))
}

// liveReplicas reads the Deployment's spec.replicas.
func liveReplicas(t *testing.T, ns string) int64 {
	t.Helper()
	u, err := admin(t).Resource(schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}).Namespace(ns).Get(context.Background(), "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, _, _ := unstructured.NestedInt64(u.Object, "spec", "replicas")
	return n
}

// scaleAsController writes the Deployment's replicas the way the
// HorizontalPodAutoscaler does: an update of the scale subresource by
// kube-controller-manager.
func scaleAsController(t *testing.T, ns string, replicas int32) {
	t.Helper()
	ctx := context.Background()
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := cs.AppsV1().Deployments(ns).GetScale(ctx, "edge", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sc.Spec.Replicas = replicas
	if _, err := cs.AppsV1().Deployments(ns).UpdateScale(ctx, "edge", sc, metav1.UpdateOptions{FieldManager: "kube-controller-manager"}); err != nil {
		t.Fatal(err)
	}
}

func changeOf(t *testing.T, p *plan.Plan, kind string) plan.Change {
	t.Helper()
	for _, c := range p.Changes {
		if c.Object.Kind == kind {
			return c
		}
	}
	t.Fatalf("no %s in the plan: %v", kind, actions(p))
	return plan.Change{}
}

func leftMessages(p *plan.Plan) []string {
	var out []string
	for _, f := range p.Findings {
		if f.Rule == RuleFieldsLeftToOthers {
			if f.Severity != finding.Info {
				out = append(out, "severity "+string(f.Severity))
			}
			out = append(out, f.Object.Kind+": "+f.Message)
		}
	}
	return out
}

// The autoscaler case of the issue: kube-controller-manager writes replicas
// through the scale subresource. The plan is clean (no conflict, no diff on
// replicas, one note), apply succeeds without --force-conflicts, and the
// replicas stay the autoscaler's, also when another field changes.
func TestReplicasWrittenThroughScaleAreLeftAlone(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "2", "kuma/kuma-dp:2.9.0"), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	scaleAsController(t, ns, 5)

	p, err := c.Plan(ctx, scaledObjects(t, ns, "2", "kuma/kuma-dp:2.9.0"), DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan after the autoscaler scaled", actions(p), []string{"unchanged ConfigMap/" + ns + "/settings", "unchanged Deployment/" + ns + "/edge"})
	equalLists(t, "notes", leftMessages(p), []string{"Deployment: /spec/replicas is left to others (kube-controller-manager wrote it through the scale subresource); it is not applied, not compared and never taken over"})

	// Another field changes: an update, whose diff does not touch replicas.
	p, err = c.Plan(ctx, scaledObjects(t, ns, "2", "kuma/kuma-dp:2.9.1"), DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	ch := changeOf(t, p, "Deployment")
	if ch.Action != plan.Update || strings.Contains(ch.Diff, "replicas: ") || !strings.Contains(ch.Diff, "2.9.1") || len(ch.Conflicts) > 0 {
		t.Fatalf("want an update of the image only, got %s with conflicts %v:\n%s", ch.Action, ch.Conflicts, ch.Diff)
	}
	res, err := c.Apply(ctx, scaledObjects(t, ns, "2", "kuma/kuma-dp:2.9.1"), DefaultApplyOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := liveReplicas(t, ns); got != 5 {
		t.Fatalf("apply reset the autoscaler's replicas to %d", got)
	}
	for _, a := range res.Applied {
		if a.Object.Kind == "Deployment" && (a.Action != plan.Update || !strings.Contains(a.Note, "kube-controller-manager")) {
			t.Errorf("apply says %s (%s), want configured with a note naming the autoscaler's manager", a.Action, a.Note)
		}
	}
	// Even forced, the field is not sent: the tool never takes it over.
	opts := DefaultApplyOptions()
	opts.Force = true
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "3", "kuma/kuma-dp:2.9.1"), opts); err != nil {
		t.Fatal(err)
	}
	if got := liveReplicas(t, ns); got != 5 {
		t.Fatalf("a forced apply took replicas over: %d", got)
	}
}

// A HorizontalPodAutoscaler that has not scaled yet still owns the
// replicas: the directory's new count is not sent.
func TestReplicasOfADeploymentAnAutoscalerTargets(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "2", "kuma/kuma-dp:2.9.0"), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	hpa := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
		"metadata": map[string]interface{}{"name": "edge-hpa", "namespace": ns},
		"spec": map[string]interface{}{
			"scaleTargetRef": map[string]interface{}{"apiVersion": "apps/v1", "kind": "Deployment", "name": "edge"},
			"minReplicas":    int64(2), "maxReplicas": int64(6),
		},
	}}
	if _, err := admin(t).Resource(hpaResource).Namespace(ns).Create(ctx, hpa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan(ctx, scaledObjects(t, ns, "4", "kuma/kuma-dp:2.9.0"), DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	if ch := changeOf(t, p, "Deployment"); ch.Action != plan.Unchanged {
		t.Fatalf("want unchanged, got %s:\n%s", ch.Action, ch.Diff)
	}
	equalLists(t, "notes", leftMessages(p), []string{"Deployment: /spec/replicas is left to others (HorizontalPodAutoscaler " + ns + "/edge-hpa scales it); it is not applied, not compared and never taken over"})
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "4", "kuma/kuma-dp:2.9.0"), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	if got := liveReplicas(t, ns); got != 2 {
		t.Fatalf("apply sent the directory's replicas: %d", got)
	}
}

// The directory's ignore rules: a rule added while the tool still owns the
// field keeps the live value (no reset to the default), a field another
// manager changed is left to it with no conflict, and a rule matches only
// its target.
func TestIgnoreRulesOfTheDirectory(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "3", "kuma/kuma-dp:2.9.0"), DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	rules := []config.IgnoreRule{
		config.IgnoreRule{Paths: []string{"/spec/replicas"}, Target: &config.IgnoreTarget{Kind: "Deployment", Name: "ed.*"}}.WithSource("config.yaml:7"),
		config.IgnoreRule{Paths: []string{"/data/b"}, Target: &config.IgnoreTarget{Kind: "ConfigMap", Namespace: ns}}.WithSource("config.yaml:10"),
		config.IgnoreRule{Paths: []string{"/data/a"}, Target: &config.IgnoreTarget{Kind: "ConfigMap", Name: "other"}}.WithSource("config.yaml:13"),
	}
	popts := DefaultPlanOptions()
	popts.Ignore = rules
	p, err := c.Plan(ctx, scaledObjects(t, ns, "1", "kuma/kuma-dp:2.9.0"), popts)
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "plan with the rules", actions(p), []string{"unchanged ConfigMap/" + ns + "/settings", "unchanged Deployment/" + ns + "/edge"})
	equalLists(t, "notes", leftMessages(p), []string{
		"ConfigMap: /data/b is left to others (the ignore rule at config.yaml:10); it is not applied, not compared and never taken over",
		"Deployment: /spec/replicas is left to others (the ignore rule at config.yaml:7); it is not applied, not compared and never taken over",
	})
	aopts := DefaultApplyOptions()
	aopts.Ignore = rules
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "1", "kuma/kuma-dp:2.9.0"), aopts); err != nil {
		t.Fatal(err)
	}
	if got := liveReplicas(t, ns); got != 3 {
		t.Fatalf("adding the rule reset replicas to %d", got)
	}
	// Someone else takes data.b: no conflict, their value stays.
	patch := []byte(`{"data":{"b":"theirs"}}`)
	cms := admin(t).Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(ns)
	if _, err := cms.Patch(ctx, "settings", types.MergePatchType, patch, metav1.PatchOptions{FieldManager: "operator"}); err != nil {
		t.Fatal(err)
	}
	p, err = c.Plan(ctx, scaledObjects(t, ns, "1", "kuma/kuma-dp:2.9.0"), popts)
	if err != nil {
		t.Fatal(err)
	}
	if ch := changeOf(t, p, "ConfigMap"); ch.Action != plan.Unchanged || len(ch.Conflicts) > 0 {
		t.Fatalf("want the ConfigMap unchanged, got %s %v:\n%s", ch.Action, ch.Conflicts, ch.Diff)
	}
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "1", "kuma/kuma-dp:2.9.0"), aopts); err != nil {
		t.Fatal(err)
	}
	live, err := cms.Get(ctx, "settings", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _, _ := unstructured.NestedString(live.Object, "data", "b"); b != "theirs" {
		t.Fatalf("data.b = %q, want the operator's value", b)
	}
	// Without the rules the directory's value is a conflict again, as before.
	p, err = c.Plan(ctx, scaledObjects(t, ns, "1", "kuma/kuma-dp:2.9.0"), DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	if ch := changeOf(t, p, "ConfigMap"); ch.Action != plan.Conflict {
		t.Fatalf("without the rule want a conflict on data.b, got %s", ch.Action)
	}
}

// A new object with a left field is created without it (the server's
// default), so the autoscaler starts from there.
func TestIgnoreRuleOnCreate(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	opts := DefaultApplyOptions()
	opts.Ignore = []config.IgnoreRule{config.IgnoreRule{Paths: []string{"/spec/replicas"}}.WithSource("config.yaml:7")}
	if _, err := c.Apply(ctx, scaledObjects(t, ns, "4", "kuma/kuma-dp:2.9.0"), opts); err != nil {
		t.Fatal(err)
	}
	if got := liveReplicas(t, ns); got != 1 {
		t.Fatalf("created with %d replicas, want the default 1", got)
	}
}

// Deployments in many namespaces (a gateway per team namespace): their
// autoscalers are found by one LIST across namespaces, and by one LIST per
// namespace for a user whose Roles are per namespace (the LIST across
// namespaces is refused). Either way the autoscaled Deployment's replicas
// are left alone and the other Deployment's are not.
func TestAutoscalersOfDeploymentsInManyNamespaces(t *testing.T) {
	ctx := context.Background()
	a, b := namespace(t), namespace(t)
	objs := append(scaledObjects(t, a, "2", "kuma/kuma-dp:2.9.0"), scaledObjects(t, b, "2", "kuma/kuma-dp:2.9.0")...)
	if _, err := newClient(t, env.KubeconfigPath).Apply(ctx, objs, DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	hpa := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
		"metadata": map[string]interface{}{"name": "edge-hpa", "namespace": a},
		"spec": map[string]interface{}{
			"scaleTargetRef": map[string]interface{}{"apiVersion": "apps/v1", "kind": "Deployment", "name": "edge"},
			"minReplicas":    int64(2), "maxReplicas": int64(6),
		},
	}}
	if _, err := admin(t).Resource(hpaResource).Namespace(a).Create(ctx, hpa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	user := "team-" + strings.ToLower(t.Name()[len(t.Name())-10:])
	for _, ns := range []string{a, b} {
		grantRules(t, ns, user,
			rbacv1.PolicyRule{APIGroups: []string{"apps"}, Resources: []string{"deployments"}, Verbs: []string{"get", "list", "patch", "create"}},
			rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list", "patch", "create"}},
			rbacv1.PolicyRule{APIGroups: []string{"autoscaling"}, Resources: []string{"horizontalpodautoscalers"}, Verbs: []string{"list"}})
	}
	kc, err := env.AddUser(user, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, kubeconfig := range map[string]string{"across namespaces": env.KubeconfigPath, "per namespace": kc} {
		t.Run(name, func(t *testing.T) {
			p, err := newClient(t, kubeconfig).Plan(ctx, append(scaledObjects(t, a, "4", "kuma/kuma-dp:2.9.0"), scaledObjects(t, b, "4", "kuma/kuma-dp:2.9.0")...), DefaultPlanOptions())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range p.Changes {
				got = append(got, string(c.Action)+" "+c.Object.String())
			}
			want := []string{
				"unchanged ConfigMap/" + a + "/settings", "unchanged ConfigMap/" + b + "/settings",
				"unchanged Deployment/" + a + "/edge", "update Deployment/" + b + "/edge",
			}
			sort.Strings(got) // the namespaces' names are random
			sort.Strings(want)
			equalLists(t, "changes", got, want)
			equalLists(t, "notes", leftMessages(p), []string{"Deployment: /spec/replicas is left to others (HorizontalPodAutoscaler " + a + "/edge-hpa scales it); it is not applied, not compared and never taken over"})
		})
	}
}
