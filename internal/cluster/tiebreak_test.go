package cluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
)

// tiedGateway selects the instance edge in ns exactly as well as every
// other one of the test; its listener port tells which one won.
func tiedGateway(name, ns string, port int) string {
	return fmt.Sprintf(`apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: %s
spec:
  selectors:
  - match:
      kuma.io/service: edge_%s_svc
  conf:
    listeners:
    - port: %d
      protocol: HTTP
`, name, ns, port)
}

// createInOrder creates the gateways one after the other, each with a
// later creationTimestamp (which has second precision) than the one before.
func createInOrder(t *testing.T, docs ...string) {
	t.Helper()
	ctx := context.Background()
	var last time.Time
	for _, d := range docs {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(d), &u.Object); err != nil {
			t.Fatal(err)
		}
		for !last.IsZero() && time.Now().Truncate(time.Second).Equal(last.Truncate(time.Second)) {
			time.Sleep(50 * time.Millisecond) // poll: the next second must begin
		}
		got, err := admin(t).Resource(gatewaysGVR).Create(ctx, u, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last = got.GetCreationTimestamp().Time
	}
}

// wonBy expands dir against the cluster's live state, as plan does, and
// returns the listener port of the Service (which gateway won) and the
// findings.
func wonBy(t *testing.T, c *Client, dir string) (string, string) {
	t.Helper()
	in, err := pipeline.Read(pipeline.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	nss, gws, err := c.LiveContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := in.Expand(pipeline.Live{Namespaces: nss, Gateways: gws})
	if err != nil {
		t.Fatal(err)
	}
	var fs []string
	for _, f := range res.Findings {
		fs = append(fs, f.String())
	}
	for _, n := range res.Objects {
		if n.GetKind() == "Service" {
			ports, err := n.Pipe(kyaml.Lookup("spec", "ports"))
			if err != nil || ports == nil || len(ports.Content()) != 1 {
				t.Fatalf("Service ports: %v", err)
			}
			return ports.Content()[0].Content[1].Value, strings.Join(fs, "\n")
		}
	}
	t.Fatalf("no Service: %v", res.Findings)
	return "", ""
}

// TestTieBreakWithLiveGateways: gateways created in the cluster in order,
// then planned from a directory holding them. A gateway in the directory
// and live has the live creation time (the later one wins, as Kuma picks);
// one only in the directory is created by this apply, newer than all live
// ones; two only in the directory are ranked by name, with the warning.
func TestTieBreakWithLiveGateways(t *testing.T) {
	ns := namespace(t)
	c := newClient(t, env.KubeconfigPath)
	first, second := ns+"-b-first", ns+"-a-second"
	createInOrder(t, tiedGateway(first, ns, 8081), tiedGateway(second, ns, 8082))
	dir := t.TempDir()
	write := func(name, doc string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("instance.yaml", fmt.Sprintf("apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: edge, namespace: %s}\nspec: {}\n", ns))
	write("first.yaml", tiedGateway(first, ns, 8081))
	write("second.yaml", tiedGateway(second, ns, 8082))

	if port, fs := wonBy(t, c, dir); port != "8082" || strings.Contains(fs, "AmbiguousGateway") {
		t.Errorf("both live: port %s (want 8082, the later created), findings %s", port, fs)
	}
	write("new.yaml", tiedGateway(ns+"-z-new", ns, 8083))
	if port, fs := wonBy(t, c, dir); port != "8083" || strings.Contains(fs, "AmbiguousGateway") {
		t.Errorf("one new: port %s (want 8083, created by this apply), findings %s", port, fs)
	}
	write("newer.yaml", tiedGateway(ns+"-y-new", ns, 8084))
	port, fs := wonBy(t, c, dir)
	if port != "8084" || !strings.Contains(fs, "none of them is in the cluster yet") {
		t.Errorf("two new: port %s (want 8084, first by name), findings %s", port, fs)
	}
}
