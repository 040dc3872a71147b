package cluster

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// NodePortRange is the cluster's service node-port range ("30000-32767").
// No API publishes it. It is read off the API server's pod where the
// cluster runs it as one (kubeadm, kind: a read, nothing else), else from
// the API server's refusal of a node port outside it (a create that cannot
// succeed, see nodePortRangeFromRefusal). "" and an error saying why when
// neither works (a managed control plane and no right to create Services
// in default, say): callers then use the configured or default range.
func (c *Client) NodePortRange(ctx context.Context) (string, error) {
	r, podErr := c.nodePortRangeFromPod(ctx)
	if podErr == nil {
		return r, nil
	}
	r, why := c.nodePortRangeFromRefusal(ctx)
	if why == "" {
		return r, nil
	}
	return "", fmt.Errorf("%w; nor from the API server's answer: %s", podErr, why)
}

var podResource = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

// nodePortRangeFromPod reads the API server's --service-node-port-range off its
// pod, where the cluster runs it as one (kubeadm and kind: the static pod
// kube-apiserver-NODE in kube-system, labelled component=kube-apiserver).
// No API publishes the range, and a server-side dry-run does not check it
// (the dry-run port allocator only tests for ports in use). An API server
// pod without the flag has the default range. "" and an error when no
// such pod can be read (a managed control plane, or no list on pods in
// kube-system).
func (c *Client) nodePortRangeFromPod(ctx context.Context) (string, error) {
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

// The API server does not publish its --service-node-port-range, but it
// names the range when it refuses a node port outside it:
//
//	spec.ports[0].nodePort: Invalid value: 1: provided port is not in the
//	valid range. The range of valid ports is 30000-32767
//
// (pkg/registry/core/service/portallocator). A server-side dry-run does
// not say it: it skips the allocation, which is why such a Service passes
// the dry-run and fails the apply. So the range is read with a create that
// cannot succeed: a NodePort Service named as the Service that every
// cluster has, default/kubernetes, asking for node port 1. The server
// allocates ports before it stores the object: a port outside the range is
// refused with the message above; a port inside it is followed by
// "already exists" (and the allocation rolled back). Either way nothing is
// written. The probe runs only after a read found default/kubernetes.
var nodePortRangeMessage = regexp.MustCompile(`range of valid ports is (\d+)-(\d+)`)

const (
	probeNamespace = "default"
	probeName      = "kubernetes"
	probeNodePort  = 1
)

// nodePortRangeFromRefusal asks the API server (above). "" with a reason
// when it does not say (no right to read or create Services in default, no
// default/kubernetes, a range holding port 1).
func (c *Client) nodePortRangeFromRefusal(ctx context.Context) (string, string) {
	services := c.dynamic.Resource(schema.GroupVersionResource{Version: "v1", Resource: "services"}).Namespace(probeNamespace)
	if _, err := services.Get(ctx, probeName, metav1.GetOptions{}); err != nil {
		return "", fmt.Sprintf("reading Service %s/%s, which the probe needs: %v", probeNamespace, probeName, err)
	}
	probe := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]interface{}{"name": probeName, "namespace": probeNamespace},
		"spec": map[string]interface{}{
			"type":  "NodePort",
			"ports": []interface{}{map[string]interface{}{"name": "probe", "port": int64(80), "nodePort": int64(probeNodePort)}},
		},
	}}
	_, err := services.Create(ctx, probe, metav1.CreateOptions{FieldManager: DefaultFieldManager})
	switch {
	case err == nil:
		// Cannot happen while default/kubernetes exists; say so loudly.
		return "", fmt.Sprintf("the node-port probe created Service %s/%s; delete it if it is not the cluster's own", probeNamespace, probeName)
	case apierrors.IsAlreadyExists(err):
		return "", fmt.Sprintf("the server accepted node port %d, so its range is not the usual one", probeNodePort)
	}
	m := nodePortRangeMessage.FindStringSubmatch(err.Error())
	if m == nil {
		return "", fmt.Sprintf("the node-port probe did not say the range: %v", err)
	}
	return m[1] + "-" + m[2], ""
}
