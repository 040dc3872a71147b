package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// countingReads is a ClusterFlags.readFile that counts reads per path.
type countingReads struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *countingReads) read(p string) ([]byte, error) {
	c.mu.Lock()
	c.n[filepath.Clean(p)]++
	c.mu.Unlock()
	return os.ReadFile(p)
}

// plan and apply make one pass: every input file (and --config) is read
// once, although the expansion needs the cluster's Namespaces and
// MeshGateways, which are only listed after the inputs were validated.
func TestPlanAndApplyReadEachInputOnce(t *testing.T) {
	env, err := testenv.Start(testenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	ns, err := env.Namespace(ctx, "reads")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"instance.yaml": "apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: edge, namespace: " + ns + "}\nspec: {}\n",
		"gateway.yaml": "apiVersion: kuma.io/v1alpha1\nkind: MeshGateway\nmesh: default\nmetadata: {name: " + ns + "}\n" +
			"spec:\n  selectors: [{match: {kuma.io/service: edge_" + ns + "_svc}}]\n  conf: {listeners: [{port: 80, protocol: HTTP}]}\n",
		"sub/other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: " + ns + "}\ndata: {a: b}\n",
		"config.yaml":    "apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata: {name: kuma}\nspec: {dataplaneImage: example.com/dp:1}\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inputs := filepath.Join(dir, "instance.yaml")
	sub := filepath.Join(dir, "sub")
	gw := filepath.Join(dir, "gateway.yaml")
	cfg := filepath.Join(dir, "config.yaml")

	flags := func(reads *countingReads) ClusterFlags {
		f := newClusterFlags()
		*f.Kube.KubeConfig = env.KubeconfigPath
		f.ConfigFile = cfg
		f.readFile = reads.read
		return f
	}
	check := func(what string, reads *countingReads) {
		t.Helper()
		for _, p := range []string{inputs, filepath.Join(sub, "other.yaml"), gw, cfg} {
			if got := reads.n[filepath.Clean(p)]; got != 1 {
				t.Errorf("%s read %s %d times, want once", what, p, got)
			}
		}
		if len(reads.n) != 4 {
			t.Errorf("%s read %v, want the four inputs", what, reads.n)
		}
	}

	reads := &countingReads{n: map[string]int{}}
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	if err := runPlan(ctx, &PlanOptions{IO: streams, Cluster: flags(reads), Paths: []string{inputs, sub, gw}, Output: "text"}); err != nil {
		t.Fatalf("plan: %v\n%s", err, errOut)
	}
	if want := "Deployment/" + ns + "/edge"; !strings.Contains(out.String(), want) {
		t.Fatalf("plan does not create %s:\n%s", want, out)
	}
	check("plan", reads)

	reads = &countingReads{n: map[string]int{}}
	streams, _, out, errOut = genericiooptions.NewTestIOStreams()
	o := &ApplyOptions{IO: streams, Cluster: flags(reads), Paths: []string{inputs, sub, gw}, DryRun: "server"}
	if err := runApply(ctx, o); err != nil {
		t.Fatalf("apply: %v\n%s", err, errOut)
	}
	if want := "Deployment/" + ns + "/edge created (server dry run)"; !strings.Contains(out.String(), want) {
		t.Fatalf("apply does not create %s:\n%s", want, out)
	}
	check("apply", reads)
}
