package cluster

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var podResource = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

// NodePortRange reads the API server's --service-node-port-range off its
// pod, where the cluster runs it as one (kubeadm and kind: the static pod
// kube-apiserver-NODE in kube-system, labelled component=kube-apiserver).
// No API publishes the range, and a server-side dry-run does not check it
// (the dry-run port allocator only tests for ports in use). An API server
// pod without the flag has the default range. "" and an error when no
// such pod can be read (a managed control plane, or no list on pods in
// kube-system).
func (c *Client) NodePortRange(ctx context.Context) (string, error) {
	list, err := c.dynamic.Resource(podResource).Namespace("kube-system").List(ctx, metav1.ListOptions{LabelSelector: "component=kube-apiserver"})
	if err != nil {
		return "", fmt.Errorf("the node-port range was not read from the API server's pod in kube-system: %w", err)
	}
	if len(list.Items) == 0 {
		return "", fmt.Errorf("the node-port range was not read: kube-system has no pod labelled component=kube-apiserver (a managed control plane?)")
	}
	var pod corev1.Pod
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(list.Items[0].Object, &pod); err != nil {
		return "", fmt.Errorf("pod kube-system/%s: %w", list.Items[0].GetName(), err)
	}
	for _, ct := range pod.Spec.Containers {
		args := append(append([]string{}, ct.Command...), ct.Args...)
		for i, a := range args {
			if v, ok := strings.CutPrefix(a, "--service-node-port-range="); ok {
				return v, nil
			}
			if a == "--service-node-port-range" && i+1 < len(args) {
				return args[i+1], nil
			}
		}
	}
	return "30000-32767", nil
}
