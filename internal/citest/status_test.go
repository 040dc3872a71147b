package citest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// status -k through the real kustomize example (plugins/kustomize's
// staging overlay): the instance the overlay builds is found, matched to
// the base's MeshGateway, and its status read from what apply -k wrote.
func TestStatusOfAKustomizeOverlay(t *testing.T) {
	ns := "kust-status"
	dir := kustomizeExamples(t, ns)
	staging := filepath.Join(dir, "overlays", "staging")
	kc := "--kubeconfig=" + env.KubeconfigPath
	if _, stderr, code := mgi(t, "apply", "-k", staging, kc); code != 0 {
		t.Fatalf("apply -k staging: exit %d\n%s", code, stderr)
	}
	out, stderr, code := mgi(t, "status", "-k", staging, kc)
	if code != 0 {
		t.Fatalf("status -k: exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || strings.Join(strings.Fields(lines[1]), " ") != ns+"/edge-gateway default "+ns+"-gateway False LoadBalancerAddressNotReady -" {
		t.Fatalf("status -k staging:\n%s", out)
	}

	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc, err := cs.CoreV1().Services(ns).Get(ctx, "edge-gateway", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{Hostname: "lb.example.com"}}
	if _, err := cs.CoreV1().Services(ns).UpdateStatus(ctx, svc, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = mgi(t, "status", "-k", staging, kc, "-o", "json")
	if code != 0 {
		t.Fatalf("status -k -o json: exit %d\n%s", code, stderr)
	}
	var doc struct {
		Instances []struct {
			Status struct {
				Conditions   []struct{ Reason string }
				LoadBalancer struct{ Ingress []struct{ Hostname string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Instances) != 1 ||
		doc.Instances[0].Status.Conditions[0].Reason != "Ready" || doc.Instances[0].Status.LoadBalancer.Ingress[0].Hostname != "lb.example.com" {
		t.Fatalf("status -k -o json: %v\n%s", err, out)
	}
}
