package plan

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// goldenCase is a plan and the Markdown options to print it with.
type goldenCase struct {
	name     string
	plan     *Plan
	markdown MarkdownOptions
	// color also writes a colored text golden file.
	color bool
	// variants also writes <case>.compact.txt and .compact.md
	// (--diff-style compact) and <case>.objects.json (--include-objects).
	variants bool
}

func goldenCases(t *testing.T) []goldenCase {
	return []goldenCase{
		{name: "empty", plan: &Plan{}},
		{name: "unchanged-only", plan: &Plan{Changes: []Change{unchanged("ServiceAccount", "shop", "edge")}}},
		{name: "every-action", plan: everyActionPlan(t), color: true, variants: true, markdown: MarkdownOptions{
			Title:  "kubectl mgi plan: gateways/shop",
			Origin: Origin{Commit: "0123456789abcdef0123456789abcdef01234567", Context: "staging", Cluster: "eu-staging-1", Time: time.Date(2026, 12, 1, 20, 15, 4, 0, time.FixedZone("CET", 3600))},
		}},
		{name: "secret", plan: secretPlan(t), variants: true},
		{name: "fences", plan: fencePlan(t)},
		{name: "take-over", plan: takeOverPlan()},
		{name: "over-cap", plan: overCapPlan(t), markdown: MarkdownOptions{MaxBytes: 2500, Title: "Gateways in staging"}},
	}
}

// yamlDiff builds a Change's Before, After and Diff the way the cluster
// package does: normalise, mask secrets, render, diff.
func yamlDiff(t *testing.T, c Change, before, after string) Change {
	t.Helper()
	b, a := parse(t, before), parse(t, after)
	b, a = diff.Normalize(b), diff.Normalize(a)
	diff.MaskSecrets(b, a)
	var err error
	if c.Before, err = diff.ToYAML(b); err != nil {
		t.Fatal(err)
	}
	if c.After, err = diff.ToYAML(a); err != nil {
		t.Fatal(err)
	}
	c.Diff = diff.Unified(c.Object.String(), c.Before, c.After, diff.DefaultContext)
	switch {
	case b == nil:
		c.Brief = diff.Brief(a)
	case a == nil:
		c.Brief = diff.Brief(b)
	}
	if b != nil {
		c.Live = b.Object
	}
	if a != nil {
		c.Desired = a.Object
	}
	return c
}

func parse(t *testing.T, s string) *unstructured.Unstructured {
	t.Helper()
	if s == "" {
		return nil
	}
	obj := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &obj); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return &unstructured.Unstructured{Object: obj}
}

func ref(group, kind, ns, name string) object.Ref {
	return object.Ref{Group: group, Version: "v1", Kind: kind, Namespace: ns, Name: name}
}

func unchanged(kind, ns, name string) Change {
	return Change{Action: Unchanged, Object: ref("", kind, ns, name), Source: "gateways/" + name + ".yaml:1"}
}

const liveDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: edge
  namespace: shop
  resourceVersion: "812"
  uid: 6a1d
  labels:
    app: edge
spec:
  replicas: 1
  selector:
    matchLabels:
      app: edge
  template:
    metadata:
      labels:
        app: edge
    spec:
      containers:
      - name: kuma-gateway
        image: kumahq/kuma-dp:2.9.0
status:
  readyReplicas: 1
`

func everyActionPlan(t *testing.T) *Plan {
	desired := strings.Replace(liveDeployment, "replicas: 1", "replicas: 3", 1)
	desired = strings.Replace(desired, "kuma-dp:2.9.0", "kuma-dp:2.9.1", 1)
	service := `
apiVersion: v1
kind: Service
metadata:
  name: edge
  namespace: shop
spec:
  type: LoadBalancer
  ports:
  - name: http
    port: 80
`
	oldMap := `
apiVersion: v1
kind: ConfigMap
metadata:
  name: edge-old
  namespace: shop
data:
  mode: legacy
`
	conflictLive := strings.Replace(strings.Replace(liveDeployment, "edge", "admin", -1), "replicas: 1", "replicas: 5", 1)
	conflictDesired := strings.Replace(conflictLive, "replicas: 5", "replicas: 2", 1)
	return &Plan{Changes: []Change{
		yamlDiff(t, Change{Action: Create, Object: ref("", "Service", "shop", "edge"), Source: "gateways/edge.yaml:3",
			Note: "namespace shop does not exist yet; the object was not dry-run"}, "", service),
		yamlDiff(t, Change{Action: Update, Object: ref("apps", "Deployment", "shop", "edge"), Source: "gateways/edge.yaml:3"}, liveDeployment, desired),
		yamlDiff(t, Change{Action: Delete, Object: ref("", "ConfigMap", "shop", "edge-old")}, oldMap, ""),
		{Action: TakeOver, Object: object.Ref{Group: "kuma.io", Version: "v1alpha1", Kind: "MeshGatewayInstance", Namespace: "shop", Name: "edge"},
			Source: "gateways/edge.yaml:3", TakeOver: &TakeOverInfo{
				Objects:      []object.Ref{ref("", "Service", "shop", "edge"), ref("apps", "Deployment", "shop", "edge")},
				RestartsPods: true, PodTemplateFields: []string{"spec.containers[name=kuma-gateway].image"},
			}},
		yamlDiff(t, Change{Action: Conflict, Object: ref("apps", "Deployment", "shop", "admin"), Source: "gateways/admin.yaml:1",
			Conflicts: []FieldConflict{
				{Field: ".spec.replicas", Manager: "kuma-cp"},
				{Field: `.spec.template.spec.containers[name="kuma-gateway"].image`, Manager: "kubectl-client-side-apply"},
			}}, conflictLive, conflictDesired),
		yamlDiff(t, Change{Action: Replace, Object: ref("", "ConfigMap", "shop", "edge-settings"), Source: "gateways/settings.yaml:1",
			Reason: `ConfigMap "edge-settings" is invalid: data: Forbidden: field is immutable when ` + "`immutable`" + ` is set`},
			immutableMap, strings.Replace(immutableMap, "mode: a", "mode: b", 1)),
		{Action: Error, Object: ref("", "Service", "shop", "admin"), Source: "gateways/admin.yaml:1",
			Reason: `admission webhook "quota.example.com" denied the request: services.loadbalancers quota exceeded | limit 2`},
		unchanged("ServiceAccount", "shop", "edge"),
	}, Findings: finding.List{
		{Rule: "NodePortOutOfRange", Severity: finding.Error, Object: object.New("kuma.io/v1alpha1", "MeshGatewayInstance", "shop", "edge"),
			Field: "spec.serviceType", Message: "listener port 8080 is outside the cluster's node-port range 30000-32767", Pos: finding.Position{File: "gateways/edge.yaml", Line: 3}},
		{Rule: "IgnoredFields", Severity: finding.Info, Object: object.New("apps/v1", "Deployment", "shop", "edge"),
			Field: "spec.replicas", Message: "left to other managers (ignore rule 1 in gateways/config.yaml)"},
	}}
}

const immutableMap = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: edge-settings
  namespace: shop
immutable: true
data:
  mode: a
`

// The secret values below must appear in no output: secretPlan checks the
// fixture, TestGolden checks the printers.
var secretValues = []string{"b2xkLXBhc3N3b3Jk", "bmV3LXBhc3N3b3Jk", "c2FtZS10b2tlbg==", "plain-text-secret"}

func secretPlan(t *testing.T) *Plan {
	live := `
apiVersion: v1
kind: Secret
metadata:
  name: edge-tls
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"b2xkLXBhc3N3b3Jk"}}'
type: Opaque
data:
  password: b2xkLXBhc3N3b3Jk
  token: c2FtZS10b2tlbg==
`
	desired := `
apiVersion: v1
kind: Secret
metadata:
  name: edge-tls
  namespace: shop
type: Opaque
data:
  password: bmV3LXBhc3N3b3Jk
  token: c2FtZS10b2tlbg==
stringData:
  extra: plain-text-secret
`
	return &Plan{Changes: []Change{
		yamlDiff(t, Change{Action: Update, Object: ref("", "Secret", "shop", "edge-tls"), Source: "gateways/secret.yaml:1"}, live, desired),
	}}
}

func fencePlan(t *testing.T) *Plan {
	live := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: docs\n  namespace: shop\ndata:\n  README.md: |\n    ```\n    old\n    ```\n"
	desired := strings.Replace(live, "old", "new ```` and `", 1)
	return &Plan{Changes: []Change{
		yamlDiff(t, Change{Action: Update, Object: ref("", "ConfigMap", "shop", "docs"), Source: "gateways/docs.yaml:1"}, live, desired),
	}}
}

// overCapPlan has 12 changed objects of a few hundred bytes each, more than
// a 2500-byte cap can hold, and one unchanged object.
func overCapPlan(t *testing.T) *Plan {
	p := &Plan{}
	for i := 0; i < 12; i++ {
		name := fmt.Sprintf("edge-%02d", i)
		live := strings.Replace(liveDeployment, "edge", name, -1)
		desired := strings.Replace(live, "replicas: 1", fmt.Sprintf("replicas: %d", i+2), 1)
		p.Changes = append(p.Changes, yamlDiff(t, Change{Action: Update, Object: ref("apps", "Deployment", "shop", name),
			Source: "gateways/" + name + ".yaml:1"}, live, desired))
	}
	p.Changes = append(p.Changes, unchanged("ServiceAccount", "shop", "edge"))
	return p
}

// takeOverPlan is the plan right after import: the takeover alone, its
// objects unchanged, no pods restarting.
func takeOverPlan() *Plan {
	return &Plan{Changes: []Change{
		{Action: TakeOver, Object: object.Ref{Group: "kuma.io", Version: "v1alpha1", Kind: "MeshGatewayInstance", Namespace: "shop", Name: "admin"},
			Source: "gateways/admin.yaml:1", TakeOver: &TakeOverInfo{
				Objects: []object.Ref{ref("", "Service", "shop", "admin"), ref("apps", "Deployment", "shop", "admin")},
			}},
		unchanged("Service", "shop", "admin"),
		unchanged("Deployment", "shop", "admin"),
	}}
}
