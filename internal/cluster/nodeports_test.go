package cluster

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestNodePortRange reads the range off the API server's pod as kubeadm
// lays it out (the mirror pod of its static pod manifest).
func TestNodePortRange(t *testing.T) {
	ctx := context.Background()
	c := newClient(t, env.KubeconfigPath)
	if _, err := c.NodePortRange(ctx); err == nil || !strings.Contains(err.Error(), "component=kube-apiserver") {
		t.Errorf("without an API server pod: %v", err)
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
