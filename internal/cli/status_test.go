package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

func TestStatusFlags(t *testing.T) {
	o := capture(t, newStatusCmd, "-k", "overlays/prod", "-l", "tier=web", "-o", "json", "--watch", "--interval", "5s", "--timeout", "1m", "-n", "shop")
	if o.Cluster.Kustomization != "overlays/prod" || o.Cluster.Selector != "tier=web" || o.Output != "json" || !o.Watch ||
		o.Interval != 5*time.Second || o.Timeout != time.Minute || *o.Cluster.Kube.Namespace != "shop" || len(o.Paths) != 0 {
		t.Errorf("options: %+v", o)
	}
	o = capture(t, newStatusCmd, "./gateways")
	if o.Output != "text" || o.Watch || o.Interval != DefaultStatusInterval || o.Timeout != 0 || o.Paths[0] != "./gateways" {
		t.Errorf("defaults: %+v", o)
	}
	cmd := newStatusCmd(genericiooptions.NewTestIOStreamsDiscard(), func(context.Context, *StatusOptions) error { return nil })
	cmd.SetArgs([]string{"-k", "dir", "other"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "give one or the other") {
		t.Errorf("-k with paths: %v", err)
	}
	if cmd.Flags().Lookup("field-manager") != nil {
		t.Error("status writes nothing: it has no --field-manager")
	}
}

// statusDir: edge (LoadBalancer, Service labelled tier: web) and internal
// (ClusterIP) match the gateway; lonely matches none.
func statusDir(t *testing.T, ns string) string {
	t.Helper()
	dir := t.TempDir()
	doc := fmt.Sprintf(`apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: %[1]s}
mesh: default
spec:
  selectors:
  - match: {kuma.io/service: edge_%[1]s_svc}
  - match: {kuma.io/service: internal_%[1]s_svc}
  conf:
    listeners:
    - {port: 8080, protocol: HTTP}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata: {name: edge, namespace: %[1]s}
spec:
  serviceTemplate:
    metadata:
      labels: {tier: web}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata: {name: internal, namespace: %[1]s}
spec: {serviceType: ClusterIP}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata: {name: lonely, namespace: %[1]s}
spec: {}
`, ns)
	if err := os.WriteFile(filepath.Join(dir, "gateways.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// lockedBuffer is an io.Writer the watch writes to while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rows are the table's lines, each as its fields.
func rows(out string) []string {
	var r []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		r = append(r, strings.Join(strings.Fields(l), " "))
	}
	return r
}

// The status Kuma would write, against the real API server, with the
// Deployment and Service status written by the test (no controllers run
// there): every reason, -o json, -l, and --watch ending on an interrupt
// and on --timeout.
func TestStatusAgainstTheAPIServer(t *testing.T) {
	env, err := testenv.Start(testenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	ns, err := env.Namespace(ctx, "status")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	dir := statusDir(t, ns)
	flags := func(sel string) ClusterFlags {
		f := newClusterFlags()
		*f.Kube.KubeConfig = env.KubeconfigPath
		f.Selector = sel
		return f
	}
	streams, _, _, errOut := genericiooptions.NewTestIOStreams()
	if err := runApply(ctx, &ApplyOptions{IO: streams, Cluster: flags(""), Paths: []string{dir}, DryRun: "none"}); err != nil {
		t.Fatalf("apply: %v\n%s", err, errOut)
	}
	status := func(o StatusOptions) string {
		t.Helper()
		streams, _, out, errOut := genericiooptions.NewTestIOStreams()
		o.IO, o.Paths = streams, []string{dir}
		if o.Cluster.Kube == nil {
			o.Cluster = flags("")
		}
		if err := runStatus(ctx, &o); err != nil {
			t.Fatalf("status: %v\n%s", err, errOut)
		}
		if errOut.Len() != 0 {
			t.Errorf("status wrote to stderr: %s", errOut)
		}
		return out.String()
	}
	header := "INSTANCE MESH GATEWAY READY REASON ADDRESSES MESSAGE"
	lonely := ns + "/lonely default - False NoGatewayMatched - No Gateway matched by tags in mesh: 'default'"
	equalLists(t, "first status", rows(status(StatusOptions{})), []string{header,
		ns + "/edge default " + ns + " False LoadBalancerAddressNotReady -",
		ns + "/internal default " + ns + " True Ready -",
		lonely})

	setAvailable(t, cs, ns, "edge", corev1.ConditionFalse)
	if err := cs.CoreV1().Services(ns).Delete(ctx, "internal", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	equalLists(t, "status, not available, Service gone", rows(status(StatusOptions{})), []string{header,
		ns + "/edge default " + ns + " False DeploymentNotAvailable -",
		ns + "/internal default " + ns + " False NotApplied - the Service " + ns + "/internal does not exist; run kubectl mgi apply",
		lonely})
	setAvailable(t, cs, ns, "edge", corev1.ConditionUnknown)
	if got := rows(status(StatusOptions{Cluster: flags("tier=web")})); len(got) != 2 || got[1] != ns+"/edge default "+ns+" Unknown DeploymentNotAvailable -" {
		t.Errorf("status -l tier=web: %q", got)
	}

	// --watch: the first table, then the row that changed, then an
	// interrupt ends it cleanly.
	setAvailable(t, cs, ns, "edge", corev1.ConditionTrue)
	wctx, interrupt := context.WithCancel(ctx)
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		o := &StatusOptions{IO: genericiooptions.IOStreams{Out: out, ErrOut: &lockedBuffer{}}, Cluster: flags("tier=web"), Paths: []string{dir}, Output: "text", Watch: true, Interval: 20 * time.Millisecond}
		done <- runStatus(wctx, o)
	}()
	waitFor(t, out, ns+"/edge default "+ns+" False LoadBalancerAddressNotReady -")
	setIngress(t, cs, ns, "edge", "203.0.113.7")
	waitFor(t, out, ns+"/edge default "+ns+" True Ready 203.0.113.7")
	interrupt()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("watch ended by an interrupt: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not end on the interrupt")
	}
	if got := rows(out.String()); len(got) != 3 || got[0] != header {
		t.Errorf("watch printed the header once and each change once:\n%s", out)
	}
	// --timeout ends it too, with exit status 0.
	start := time.Now()
	status(StatusOptions{Watch: true, Interval: 20 * time.Millisecond, Timeout: 300 * time.Millisecond, Cluster: flags("tier=web")})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("watch --timeout 300ms took %s", d)
	}

	var doc struct {
		Instances []struct {
			Instance      struct{ Kind, Namespace, Name string }
			Mesh, Gateway string
			Status        struct {
				Conditions   []struct{ Type, Status, Reason, Message string }
				LoadBalancer *struct{ Ingress []struct{ IP string } }
			}
		}
	}
	js := status(StatusOptions{Output: "json"})
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	if len(doc.Instances) != 3 {
		t.Fatalf("-o json: %s", js)
	}
	e, l := doc.Instances[0], doc.Instances[2]
	if e.Instance.Kind != "MeshGatewayInstance" || e.Instance.Name != "edge" || e.Gateway != ns || e.Status.Conditions[0].Type != "Ready" ||
		e.Status.Conditions[0].Status != "True" || e.Status.LoadBalancer == nil || e.Status.LoadBalancer.Ingress[0].IP != "203.0.113.7" {
		t.Errorf("-o json, edge: %+v", e)
	}
	if l.Status.Conditions[0].Reason != "NoGatewayMatched" || l.Status.LoadBalancer != nil || l.Gateway != "" {
		t.Errorf("-o json, lonely: %+v", l)
	}
}

func waitFor(t *testing.T, out *lockedBuffer, row string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range rows(out.String()) {
			if r == row {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the watch never printed %q:\n%s", row, out)
}

// setAvailable writes the Deployment's Available condition, as the
// deployment controller would.
func setAvailable(t *testing.T, cs kubernetes.Interface, ns, name string, s corev1.ConditionStatus) {
	t.Helper()
	ctx := context.Background()
	d, err := cs.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentAvailable, Status: s, Reason: "Test"}}
	if _, err := cs.AppsV1().Deployments(ns).UpdateStatus(ctx, d, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// setIngress gives the Service a load-balancer address, as a cloud
// controller would.
func setIngress(t *testing.T, cs kubernetes.Interface, ns, name, ip string) {
	t.Helper()
	ctx := context.Background()
	s, err := cs.CoreV1().Services(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: ip}}
	if _, err := cs.CoreV1().Services(ns).UpdateStatus(ctx, s, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func equalLists(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
