package cluster

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// markReady writes the status a Deployment controller would write once the
// rollout is done (no controllers run in the test API server).
func markReady(t *testing.T, ns, name string) {
	t.Helper()
	ctx := context.Background()
	ri := admin(t).Resource(deployments).Namespace(ns)
	live, err := ri.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Error(err)
		return
	}
	replicas, _, _ := unstructured.NestedInt64(live.Object, "spec", "replicas")
	now := time.Now().UTC().Format(time.RFC3339)
	live.Object["status"] = map[string]interface{}{
		"observedGeneration": live.GetGeneration(),
		"replicas":           replicas,
		"updatedReplicas":    replicas,
		"readyReplicas":      replicas,
		"availableReplicas":  replicas,
		"conditions": []interface{}{
			map[string]interface{}{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "lastUpdateTime": now, "lastTransitionTime": now},
			map[string]interface{}{"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "lastUpdateTime": now, "lastTransitionTime": now},
		},
	}
	if _, err := ri.UpdateStatus(ctx, live, metav1.UpdateOptions{}); err != nil {
		t.Error(err)
	}
}

// progress collects the progress lines.
type progress struct {
	mu    sync.Mutex
	lines []string
}

func (p *progress) add(l string) { p.mu.Lock(); p.lines = append(p.lines, l); p.mu.Unlock() }

func (p *progress) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

func waitOpts(timeout time.Duration, p *progress) ApplyOptions {
	o := DefaultApplyOptions()
	o.Wait = true
	o.WaitOptions = WaitOptions{Timeout: timeout, Interval: 100 * time.Millisecond, Progress: p.add}
	return o
}

func TestWaitSucceedsOnceTheDeploymentIsReady(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, memberDocs)
	var p progress
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Ready a little later, as a controller would.
		time.Sleep(700 * time.Millisecond)
		markReady(t, ns, "edge")
	}()
	res, err := c.Apply(ctx, objs, waitOpts(30*time.Second, &p))
	<-done
	if err != nil {
		t.Fatalf("%v\nprogress:\n%s", err, &p)
	}
	var got []string
	for _, r := range res.Ready {
		got = append(got, r.Object.String()+" "+r.Status)
	}
	equalLists(t, "ready", got, []string{
		"ConfigMap/" + ns + "/keep Current",
		"ConfigMap/" + ns + "/old Current",
		"Deployment/" + ns + "/edge Current",
	})
	lines := p.String()
	if !strings.Contains(lines, "Deployment/"+ns+"/edge: InProgress: ") || !strings.Contains(lines, "Deployment/"+ns+"/edge: Current: ") {
		t.Errorf("progress lines:\n%s", lines)
	}
}

func TestWaitTimesOutNamingWhatIsNotReady(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	var p progress
	start := time.Now()
	res, err := c.Apply(ctx, objects(t, ns, memberDocs), waitOpts(time.Second, &p))
	var nr *NotReadyError
	if !errors.As(err, &nr) {
		t.Fatalf("err = %v, want a NotReadyError", err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("the wait took %s with a 1s timeout", elapsed)
	}
	want := "timed out after 1s waiting for 1 object to be ready:\n  Deployment/" + ns + "/edge: InProgress: "
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "raise --timeout") {
		t.Errorf("error:\n%s\nwant it to start with:\n%s", err, want)
	}
	// The objects were applied all the same.
	if len(res.Applied) != 3 {
		t.Errorf("applied %v", applied(res))
	}
}

func TestWaitIsSkippedOnDryRun(t *testing.T) {
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	opts := waitOpts(time.Second, &progress{})
	opts.DryRun = true
	res, err := c.Apply(context.Background(), objects(t, ns, memberDocs), opts)
	if err != nil || len(res.Ready) != 0 {
		t.Errorf("dry-run wait: %v %v", res.Ready, err)
	}
}
