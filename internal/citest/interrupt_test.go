package citest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

const interruptDocs = `apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: NS}
data: {k: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: NS}
data: {k: "2"}
---
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: NS}
spec:
  selector: {app: edge}
  ports: [{name: http, port: 8080, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: edge, namespace: NS}
spec:
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      containers: [{name: gw, image: kuma/kuma-dp:2.9.0}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: edge, namespace: NS}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: edge}}
`

// SIGINT to the built binary in the middle of a run: the API server sits
// behind a proxy that holds requests, and the signal arrives while they are
// held. The binary must stop at once (no hang), exit 1 (an interrupted run
// is an error, docs/architecture.md "Exit codes"), say what was applied,
// what was not and what it cannot know, and leave nothing a rerun does not
// fix.
func TestSIGINTMidRun(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "kubectl-mgi")
	build := exec.Command("go", "build", "-o", bin, "./cmd/kubectl-mgi")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building kubectl-mgi: %v\n%s", err, out)
	}
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	setup := func(t *testing.T) (ns, dir string, p *testenv.FaultProxy, kubeconfig string) {
		ns, err := env.Namespace(context.Background(), t.Name())
		if err != nil {
			t.Fatal(err)
		}
		dir = t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "objects.yaml"), []byte(strings.ReplaceAll(interruptDocs, "NS", ns)), 0o644); err != nil {
			t.Fatal(err)
		}
		p = testenv.NewFaultProxy(t, env.Config)
		return ns, dir, p, p.Kubeconfig(t)
	}
	// run runs the binary; with holds > 0 it sends SIGINT once the proxy
	// holds that many requests.
	run := func(t *testing.T, p *testenv.FaultProxy, holds int, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if holds > 0 {
			deadline := time.Now().Add(30 * time.Second)
			for p.Count(testenv.FaultStall) < holds {
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatalf("the request to hold never came:\n%s\n%s", out.String(), errOut.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
		}
		var err error
		select {
		case err = <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("kubectl-mgi %s hangs after SIGINT:\n%s\n%s", strings.Join(args, " "), out.String(), errOut.String())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), code
	}
	count := func(t *testing.T, ns string) (configMaps, services, deployments int) {
		t.Helper()
		ctx := context.Background()
		cms, err := cs.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, cm := range cms.Items {
			if cm.Name != "kube-root-ca.crt" {
				configMaps++
			}
		}
		svcs, err := cs.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		deps, err := cs.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return configMaps, len(svcs.Items), len(deps.Items)
	}

	t.Run("apply", func(t *testing.T) {
		ns, dir, p, kc := setup(t)
		// The Service and the Deployment are one apply step, sent
		// together: both writes are held. The PodDisruptionBudget comes
		// in the step after them.
		p.Add(testenv.Fault{Kind: testenv.FaultStall, Method: "PATCH", DryRun: testenv.Writes(), Path: "/services/", Times: -1})
		p.Add(testenv.Fault{Kind: testenv.FaultStall, Method: "PATCH", DryRun: testenv.Writes(), Path: "/deployments/", Times: -1})
		stdout, stderr, code := run(t, p, 2, "apply", dir, "--kubeconfig", kc)
		t.Logf("exit %d, stderr:\n%s", code, stderr)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		wantOut := "ConfigMap/" + ns + "/a created\nConfigMap/" + ns + "/b created\n"
		if stdout != wantOut {
			t.Errorf("stdout:\n%s\nwant:\n%s", stdout, wantOut)
		}
		for _, want := range []string{
			"interrupted (SIGINT/SIGTERM) before the API server answered",
			"2 objects were applied (listed above); 1 was not applied:\n  PodDisruptionBudget/" + ns + "/edge",
			"PodDisruptionBudget/" + ns + "/edge\n2 may or may not have been applied (sent, but no answer came):\n  Service/" + ns + "/edge\n  Deployment/" + ns + "/edge\n",
			"run apply again",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if strings.Contains(stderr, "kubeconfig") || strings.Contains(stderr, "cannot reach") {
			t.Errorf("the interruption is blamed on the connection:\n%s", stderr)
		}
		if cm, svc, dep := count(t, ns); cm != 2 || svc != 0 || dep != 0 {
			t.Errorf("the cluster holds %d ConfigMaps, %d Services, %d Deployments; want 2, 0, 0", cm, svc, dep)
		}

		p.Clear()
		stdout, stderr, code = run(t, p, 0, "apply", dir, "--kubeconfig", kc)
		wantOut = "ConfigMap/" + ns + "/a unchanged\nConfigMap/" + ns + "/b unchanged\nService/" + ns + "/edge created\nDeployment/" + ns + "/edge created\nPodDisruptionBudget/" + ns + "/edge created\n"
		if code != 0 || stdout != wantOut {
			t.Fatalf("rerun: exit %d\n%s%s\nwant:\n%s", code, stdout, stderr, wantOut)
		}
		if stdout, stderr, code = run(t, p, 0, "plan", dir, "--kubeconfig", kc, "--detailed-exitcode"); code != 0 {
			t.Errorf("plan after the rerun: exit %d\n%s%s", code, stdout, stderr)
		}
	})

	t.Run("plan", func(t *testing.T) {
		ns, dir, p, kc := setup(t)
		p.Add(testenv.Fault{Kind: testenv.FaultStall, Method: "PATCH", DryRun: testenv.DryRuns(), Path: "/deployments/", Times: -1})
		stdout, stderr, code := run(t, p, 1, "plan", dir, "--kubeconfig", kc)
		if code != 1 || !strings.Contains(stderr, "interrupted (SIGINT/SIGTERM)") {
			t.Errorf("exit %d, want 1 and the interruption named:\n%s%s", code, stdout, stderr)
		}
		if strings.Contains(stdout, "Plan:") {
			t.Errorf("an interrupted plan printed a (partial) plan:\n%s", stdout)
		}
		if cm, svc, dep := count(t, ns); cm+svc+dep != 0 {
			t.Errorf("an interrupted plan changed the cluster: %d, %d, %d", cm, svc, dep)
		}
	})
}
