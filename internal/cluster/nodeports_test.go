package cluster

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// TestNodePortRange reads the range off the API server's pod as kubeadm
// lays it out (the mirror pod of its static pod manifest); without one,
// from the API server's refusal (the package's server runs with
// kube-apiserver's default range; the cli's tests start one with another).
func TestNodePortRange(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, env.KubeconfigPath)
	if got, err := c.NodePortRange(ctx); err != nil || got != "30000-32767" {
		t.Errorf("without an API server pod: %q, %v; want the server's answer, 30000-32767", got, err)
	}
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: "kube-apiserver-node1", Namespace: "kube-system",
			Labels: map[string]string{"component": "kube-apiserver", "tier": "control-plane"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "kube-apiserver", Image: "registry.k8s.io/kube-apiserver:v1.37.2",
			Command: []string{"kube-apiserver", "--advertise-address=10.0.0.1", "--service-node-port-range=20000-20999"}}}},
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(pod)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin(t).Resource(podResource).Namespace("kube-system").Create(ctx, &unstructured.Unstructured{Object: u}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	defer admin(t).Resource(podResource).Namespace("kube-system").Delete(ctx, pod.Name, metav1.DeleteOptions{})
	if got, err := c.NodePortRange(ctx); err != nil || got != "20000-20999" {
		t.Errorf("range %q, %v; want 20000-20999 from the flag", got, err)
	}
}

// The refusal probe says the range and writes nothing; a user without the
// rights gets no range and why.
func TestNodePortRangeFromTheServersRefusal(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, env.KubeconfigPath)
	got, why := c.nodePortRangeFromRefusal(ctx)
	if got != "30000-32767" || why != "" {
		t.Fatalf("range %q (%s), want 30000-32767", got, why)
	}
	svc, err := admin(t).Resource(schema.GroupVersionResource{Version: "v1", Resource: "services"}).Namespace("default").Get(ctx, "kubernetes", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if typ, _, _ := unstructured.NestedString(svc.Object, "spec", "type"); typ != "ClusterIP" || len(svc.GetManagedFields()) != 1 {
		t.Errorf("the probe changed default/kubernetes: type %s, managers %v", typ, svc.GetManagedFields())
	}
	kc, err := env.AddUser("no-services", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := newClient(t, kc).NodePortRange(ctx); got != "" || err == nil || !strings.Contains(err.Error(), "nor from the API server's answer") {
		t.Errorf("without rights: %q %v, want no range and both reasons", got, err)
	}
}
