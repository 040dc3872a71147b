package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

// nodePortDir is a NodePort gateway listening on port, in namespace ns;
// config goes into a ControlPlaneConfig's spec.
func nodePortDir(t *testing.T, ns string, port int, config string) string {
	t.Helper()
	dir := t.TempDir()
	doc := fmt.Sprintf(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  dataplaneImage: kuma/kuma-dp:2.13.0
%[3]s---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: %[1]s}
mesh: default
spec:
  selectors:
  - match: {kuma.io/service: np_%[1]s_svc}
  conf:
    listeners:
    - {port: %[2]d, protocol: HTTP}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata: {name: np, namespace: %[1]s}
spec: {serviceType: NodePort}
`, ns, port, config)
	if err := os.WriteFile(filepath.Join(dir, "gateways.yaml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// plan and apply check NodePort listeners against the range the cluster's
// API server runs with (read from it), not kube-apiserver's default; a
// spec.nodePortRange of the directory still wins.
func TestNodePortRangeOfTheCluster(t *testing.T) {
	env, err := testenv.Start(testenv.Options{APIServerFlags: map[string]string{"service-node-port-range": "20000-22767"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	ns, err := env.Namespace(ctx, "nodeports")
	if err != nil {
		t.Fatal(err)
	}
	flags := func(v int) ClusterFlags {
		f := newClusterFlags()
		*f.Kube.KubeConfig = env.KubeconfigPath
		f.Verbosity = v
		return f
	}
	plan := func(dir string) (string, string, error) {
		streams, _, out, errOut := genericiooptions.NewTestIOStreams()
		err := runPlan(ctx, &PlanOptions{IO: streams, Cluster: flags(1), Paths: []string{dir}, Output: "text", DiffContext: 3})
		return out.String(), errOut.String(), err
	}

	// 21000 is outside the default range but inside the cluster's.
	inside := nodePortDir(t, ns, 21000, "")
	out, errOut, err := plan(inside)
	if err != nil || strings.Contains(out, "NodePortOutOfRange") || strings.Contains(errOut, "node-port range was not read") {
		t.Fatalf("plan of port 21000: %v\n%s\n%s", err, out, errOut)
	}
	streams, _, _, applyErr := genericiooptions.NewTestIOStreams()
	if err := runApply(ctx, &ApplyOptions{IO: streams, Cluster: flags(0), Paths: []string{inside}, DryRun: "none"}); err != nil {
		t.Fatalf("apply of port 21000 (the server allocates it): %v\n%s", err, applyErr)
	}

	// 30500 is inside the default range, outside the cluster's.
	out, _, err = plan(nodePortDir(t, ns, 30500, ""))
	if err == nil || !strings.Contains(out, "[NodePortOutOfRange]") || !strings.Contains(out, "node-port range 20000-22767") {
		t.Fatalf("plan of port 30500: %v, want the error naming 20000-22767:\n%s", err, out)
	}

	// The directory's setting wins over the cluster's.
	out, _, err = plan(nodePortDir(t, ns, 21000, "  nodePortRange: 30000-32767\n"))
	if err == nil || !strings.Contains(out, "node-port range 30000-32767") {
		t.Fatalf("plan with spec.nodePortRange: %v, want the configured range:\n%s", err, out)
	}
}
