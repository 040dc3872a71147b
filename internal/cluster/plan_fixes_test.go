package cluster

import (
	"context"
	"strings"
	"testing"
)

const nodePortService = `
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: NS}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: edge}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: admin, port: 9901, nodePort: 31901}
`

func TestPlanOfAServiceCreateLeavesOutAllocatedValues(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, nodePortService)
	first, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	after := first.Changes[0].After
	if first.Changes[0].Diff != second.Changes[0].Diff {
		t.Errorf("two plans differ:\n%s\n%s", first.Changes[0].Diff, second.Changes[0].Diff)
	}
	for _, allocated := range []string{"clusterIP:", "clusterIPs:", "healthCheckNodePort:", "nodePort: 3"} {
		if allocated == "nodePort: 3" {
			// Only the nodePort the directory sets is shown.
			if strings.Count(after, "nodePort:") != 1 || !strings.Contains(after, "nodePort: 31901") {
				t.Errorf("node ports in:\n%s", after)
			}
			continue
		}
		if strings.Contains(after, allocated) {
			t.Errorf("the plan shows the allocated %s\n%s", allocated, after)
		}
	}
	// Defaults that do not vary stay.
	if !strings.Contains(after, "sessionAffinity: None") {
		t.Errorf("defaults missing:\n%s", after)
	}
	// Once applied, the allocated values are the live ones: no change.
	if _, err := c.Apply(ctx, objs, DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	if p, err := c.Plan(ctx, objs, DefaultPlanOptions()); err != nil || p.HasChanges() {
		t.Errorf("plan after apply: %v %v", actions(p), err)
	}
}

func TestForbiddenCreateNamesTheVerbTheServerRefused(t *testing.T) {
	ns := namespace(t)
	// May patch existing objects but not create new ones: a server-side
	// apply of a new object is authorized as create.
	grant(t, ns, "patcher", "get", "list", "patch")
	kc, err := env.AddUser("patcher", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, kc)
	_, err = c.Plan(context.Background(), deployment(t, ns, "1"), DefaultPlanOptions())
	want := "the first: Deployment/" + ns + "/edge: forbidden: user patcher cannot create deployments.apps in namespace " + ns + "; ask for a Role granting create"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "lacks 1 permission this run needs (checked with SelfSubjectAccessReview):\n  create deployments.apps in namespace "+ns+"\n") {
		t.Errorf("err = %v\nwant it to hold %q", err, want)
	}
}
