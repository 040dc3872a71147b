package cluster

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

// The fault-injection suite: each test applies through testenv.FaultProxy, checks
// the exit (error or not), the report, and that a rerun converges with
// nothing lost or duplicated.

var fastRetry = RetryPolicy{Attempts: 5, Elapsed: 20 * time.Second, Base: 20 * time.Millisecond, Max: 200 * time.Millisecond}

func proxiedClient(t *testing.T, p *testenv.FaultProxy, requestTimeout string) *Client {
	t.Helper()
	return proxiedClientWith(t, p, requestTimeout, Options{})
}

// oneAtATime sends one request at a time, so that a test knows which
// objects of an apply step were sent before a fault and which were not.
var oneAtATime = Options{Concurrency: 1}

func proxiedClientWith(t *testing.T, p *testenv.FaultProxy, requestTimeout string, opts Options) *Client {
	t.Helper()
	f := flagsFor(p.Kubeconfig(t))
	f.Timeout = &requestTimeout
	opts.Retry = fastRetry
	c, err := New(context.Background(), f, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// converges reapplies without faults: every object unchanged.
func converges(t *testing.T, c *Client, objs []Object) {
	t.Helper()
	res, err := c.Apply(context.Background(), objs, DefaultApplyOptions())
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if len(res.Applied) != len(objs) {
		t.Errorf("rerun applied %d objects, want %d", len(res.Applied), len(objs))
	}
	for _, a := range res.Applied {
		if a.Action != plan.Unchanged {
			t.Errorf("rerun: %s %s, want unchanged", a.Object, a.Action)
		}
	}
}

func wantActions(t *testing.T, res *ApplyResult, want Action) {
	t.Helper()
	for _, a := range res.Applied {
		if a.Action != want {
			t.Errorf("%s %s, want %s", a.Object, a.Action, want)
		}
	}
}

type Action = plan.Action

func TestFaultsThatRetriesRideOut(t *testing.T) {
	p := testenv.NewFaultProxy(t, env.Config)
	ns := namespace(t)
	c := proxiedClient(t, p, "10s")
	objs := objects(t, ns, gatewayDocs)
	p.Add(testenv.Fault{Kind: testenv.Fault429, Method: "GET", Times: 2, RetryAfter: "1"})
	p.Add(testenv.Fault{Kind: testenv.Fault503, Method: "PATCH", DryRun: testenv.DryRuns(), Times: 2})
	p.Add(testenv.Fault{Kind: testenv.FaultReset, Method: "PATCH", DryRun: testenv.DryRuns(), Times: 1})
	p.Add(testenv.Fault{Kind: testenv.Fault503, Method: "PATCH", DryRun: testenv.Writes(), Times: 2})
	p.Add(testenv.Fault{Kind: testenv.FaultReset, Method: "PATCH", DryRun: testenv.Writes(), Path: "/configmaps/", Times: 1})
	res, err := c.Apply(context.Background(), objs, DefaultApplyOptions())
	if err != nil {
		t.Fatalf("apply through faults: %v", err)
	}
	if len(res.Applied) != len(objs) {
		t.Fatalf("applied %v", applied(res))
	}
	wantActions(t, res, plan.Create)
	for _, k := range []string{testenv.Fault429, testenv.Fault503, testenv.FaultReset} {
		if p.Count(k) == 0 {
			t.Errorf("no %s was injected", k)
		}
	}
	p.Clear()
	converges(t, c, objs)
}

func TestLostAnswerAfterAWriteIsDecidedByTheServer(t *testing.T) {
	p := testenv.NewFaultProxy(t, env.Config)
	ns := namespace(t)
	c := proxiedClient(t, p, "10s")
	objs := objects(t, ns, gatewayDocs)
	// Once: the retry gets 200 for the object the lost try created.
	p.Add(testenv.Fault{Kind: testenv.FaultLost, Method: "PATCH", DryRun: testenv.Writes(), Path: "/configmaps/", Times: 1})
	// Always: every try is applied and every answer lost; the re-read
	// finds the object applied.
	p.Add(testenv.Fault{Kind: testenv.FaultLost, Method: "PATCH", DryRun: testenv.Writes(), Path: "/services/", Times: -1})
	res, err := c.Apply(context.Background(), objs, DefaultApplyOptions())
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	wantActions(t, res, plan.Create)
	for _, a := range res.Applied {
		if a.Object.Kind == "Service" && !strings.Contains(a.Note, "answer was lost; a re-read shows the object applied") {
			t.Errorf("%s: note %q", a.Object, a.Note)
		}
	}
	if p.Count(testenv.FaultLost) < 2 {
		t.Errorf("%d lost answers injected", p.Count(testenv.FaultLost))
	}
	p.Clear()
	converges(t, c, objs)
}

func TestStalledWriteNamesTheTimeoutAndWhatWasApplied(t *testing.T) {
	p := testenv.NewFaultProxy(t, env.Config)
	ns := namespace(t)
	c := proxiedClient(t, p, "300ms")
	objs := objects(t, ns, gatewayDocs)
	p.Add(testenv.Fault{Kind: testenv.FaultStall, Method: "PATCH", DryRun: testenv.Writes(), Path: "/services/", Times: -1})
	res, err := c.Apply(context.Background(), objs, DefaultApplyOptions())
	if err == nil {
		t.Fatal("apply through a stalled server succeeded")
	}
	msg := err.Error()
	for _, want := range []string{"Service/" + ns + "/edge: patch: no answer from the API server within 300ms (--request-timeout", "it was not applied"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "kubeconfig") {
		t.Errorf("a stall is blamed on the kubeconfig:\n%s", msg)
	}
	// The MeshGateway and the Deployment are sent with the Service (one
	// apply step, nothing among them depends on another): they are
	// applied; the Service is not.
	equalLists(t, "applied", applied(res), []string{
		"ConfigMap/" + ns + "/settings created", "MeshGateway/" + ns + "-gw created", "Deployment/" + ns + "/edge created",
	})
	equalLists(t, "not applied", refs(res.NotApplied), []string{"Service/" + ns + "/edge"})
	p.Clear()
	res, err = c.Apply(context.Background(), objs, DefaultApplyOptions())
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	for _, a := range res.Applied {
		want := plan.Unchanged
		if a.Object.Kind == "Service" {
			want = plan.Create
		}
		if a.Action != want {
			t.Errorf("rerun: %s %s, want %s", a.Object, a.Action, want)
		}
	}
	converges(t, c, objs)
}

func TestInterruptedApplySaysSo(t *testing.T) {
	p := testenv.NewFaultProxy(t, env.Config)
	ns := namespace(t)
	// One at a time: the MeshGateway, the Service and the Deployment are
	// one step, sent in that order.
	c := proxiedClientWith(t, p, "0", oneAtATime)
	objs := objects(t, ns, gatewayDocs)
	p.Add(testenv.Fault{Kind: testenv.FaultStall, Method: "PATCH", DryRun: testenv.Writes(), Path: "/services/", Times: -1})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for p.Count(testenv.FaultStall) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel() // as SIGINT does, through main's signal context
	}()
	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if strings.Contains(err.Error(), "kubeconfig") || strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("an interruption is blamed on the connection:\n%s", err)
	}
	// The Service's write was in flight: whether the server acted on it
	// is unknown, and said so; the Deployment was never sent.
	equalLists(t, "unknown", refs(res.Unknown), []string{"Service/" + ns + "/edge"})
	equalLists(t, "not applied", refs(res.NotApplied), []string{"Deployment/" + ns + "/edge"})
	p.Clear()
	res, err = c.Apply(context.Background(), objs, DefaultApplyOptions())
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if len(res.Applied) != len(objs) {
		t.Errorf("rerun applied %v", applied(res))
	}
	converges(t, c, objs)
}

func TestOverallTimeoutIsNamed(t *testing.T) {
	p := testenv.NewFaultProxy(t, env.Config)
	ns := namespace(t)
	c := proxiedClient(t, p, "0")
	objs := objects(t, ns, gatewayDocs)
	p.Add(testenv.Fault{Kind: testenv.FaultStall, Method: "PATCH", DryRun: testenv.Writes(), Path: "/deployments/", Times: -1})
	ctx, cancel := WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.Apply(ctx, objs, DefaultApplyOptions())
	var te *TimeoutError
	if !errors.As(err, &te) || te.After != time.Second {
		t.Fatalf("err = %v, want a TimeoutError after 1s", err)
	}
	if !strings.Contains(err.Error(), "stopped after --timeout 1s") {
		t.Errorf("message: %s", err)
	}
	p.Clear()
	if _, err := c.Apply(context.Background(), objs, DefaultApplyOptions()); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	converges(t, c, objs)
}
