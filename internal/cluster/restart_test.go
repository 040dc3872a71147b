package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

// refs names objects as "Kind/ns/name" for comparisons.
func refs(objs []Object) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = Ref(o.Unstructured).String()
	}
	return out
}

// The API server goes away in the middle of an apply and comes back on the
// same etcd data (a second kube-apiserver beside the package's own, so the
// other tests keep theirs). The apply says what was applied, what was not,
// and what it cannot know; the cluster, read through the other server,
// agrees; and a rerun once the server is back converges.
func TestServerStoppedMidApplyAndRestarted(t *testing.T) {
	rep, err := env.StartReplica()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rep.Stop() })

	cases := []struct {
		name string
		// kind: the server stops before acting on the Service's write
		// (FaultCall), or just after (FaultLost: applied, answer lost).
		kind string
		// serviceThere is whether the Service exists after the failed
		// apply; either way the tool cannot know, and says so.
		serviceThere bool
	}{
		{"before the write", testenv.FaultCall, false},
		{"after the write", testenv.FaultLost, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			ns := namespace(t)
			p := testenv.NewFaultProxy(t, rep.Config)
			// One at a time: the MeshGateway, the Service and the
			// Deployment are one step, sent in that order, and a step
			// sends nothing more after a failure.
			c := proxiedClientWith(t, p, "2s", oneAtATime)
			objs := objects(t, ns, gatewayDocs)
			p.Add(testenv.Fault{Kind: tc.kind, Method: "PATCH", DryRun: testenv.Writes(), Path: "/services/", Times: 1, Do: func() {
				if err := rep.Stop(); err != nil {
					t.Errorf("stopping the server: %v", err)
				}
			}})
			res, err := c.Apply(ctx, objs, DefaultApplyOptions())
			if err == nil {
				t.Fatal("apply with the server gone succeeded")
			}
			msg := err.Error()
			for _, want := range []string{"Service/" + ns + "/edge: patch: the connection to the API server", "whether it was applied is unknown"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, "kubeconfig") {
				t.Errorf("the stop is blamed on the kubeconfig:\n%s", msg)
			}
			equalLists(t, "applied", applied(res), []string{"ConfigMap/" + ns + "/settings created", "MeshGateway/" + ns + "-gw created"})
			equalLists(t, "unknown", refs(res.Unknown), []string{"Service/" + ns + "/edge"})
			equalLists(t, "not applied", refs(res.NotApplied), []string{"Deployment/" + ns + "/edge"})
			// What the cluster holds, read through the server still up.
			for _, o := range []struct {
				gvr  schema.GroupVersionResource
				name string
				want bool
			}{{configmaps, "settings", true}, {servicesGVR, "edge", tc.serviceThere}, {deployments, "edge", false}} {
				if got := exists(t, o.gvr, ns, o.name); got != o.want {
					t.Errorf("%s %s exists: %v, want %v", o.gvr.Resource, o.name, got, o.want)
				}
			}

			start := time.Now()
			if err := rep.Start(); err != nil {
				t.Fatalf("restarting the server: %v", err)
			}
			t.Logf("server back after %s", time.Since(start).Round(time.Millisecond))
			res, err = c.Apply(ctx, objs, DefaultApplyOptions())
			if err != nil {
				t.Fatalf("rerun: %v", err)
			}
			service := "created"
			if tc.serviceThere {
				service = "unchanged"
			}
			equalLists(t, "rerun", applied(res), []string{
				"ConfigMap/" + ns + "/settings unchanged", "MeshGateway/" + ns + "-gw unchanged",
				"Service/" + ns + "/edge " + service, "Deployment/" + ns + "/edge created",
			})
			converges(t, c, objs)
		})
	}
}
