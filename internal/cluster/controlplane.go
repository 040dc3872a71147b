package cluster

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ControlPlane is the Deployment of a Kuma control plane.
type ControlPlane struct{ Namespace, Name string }

func (cp ControlPlane) String() string { return cp.Namespace + "/" + cp.Name }

// ControlPlaneOf is the Deployment behind the control-plane URL the gateways
// are configured with: Kuma's Helm chart and kumactl install name the
// Service and the Deployment alike (kuma-control-plane in kuma-system), so
// https://NAME.NAMESPACE[.svc...]:5678 names both. Any other URL (an IP, a
// name outside the cluster) gives the default install's.
func ControlPlaneOf(controlPlaneURL string) ControlPlane {
	def := ControlPlane{Namespace: "kuma-system", Name: "kuma-control-plane"}
	u, err := url.Parse(controlPlaneURL)
	if err != nil {
		return def
	}
	labels := strings.Split(u.Hostname(), ".")
	if len(labels) < 2 || (len(labels) > 2 && labels[2] != "svc") {
		return def
	}
	return ControlPlane{Namespace: labels[1], Name: labels[0]}
}

var deploymentsGVR = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}

// ControlPlaneImage reads the image of the control plane's container (the
// one whose image is kuma-cp, else the one named control-plane, else the
// only one): one GET of the Deployment, which needs get on deployments in
// its namespace.
func (c *Client) ControlPlaneImage(ctx context.Context, cp ControlPlane) (string, error) {
	d, err := c.controlPlaneDeployment(ctx, cp)
	if err != nil {
		return "", err
	}
	ct, err := controlPlaneContainer(cp, d)
	if err != nil {
		return "", err
	}
	return ct.Image, nil
}

func (c *Client) controlPlaneDeployment(ctx context.Context, cp ControlPlane) (*appsv1.Deployment, error) {
	u, err := c.dynamic.Resource(deploymentsGVR).Namespace(cp.Namespace).Get(ctx, cp.Name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("deployment %s: %w", cp, err)
	}
	var d appsv1.Deployment
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &d); err != nil {
		return nil, fmt.Errorf("deployment %s: %w", cp, err)
	}
	return &d, nil
}

func controlPlaneContainer(cp ControlPlane, d *appsv1.Deployment) (*corev1.Container, error) {
	cs := d.Spec.Template.Spec.Containers
	for _, pick := range []func(image, name string) bool{
		func(image, _ string) bool {
			r, _ := splitImage(image)
			return strings.HasSuffix(r, "/kuma-cp") || r == "kuma-cp"
		},
		func(_, name string) bool { return name == "control-plane" },
		func(string, string) bool { return len(cs) == 1 },
	} {
		for i := range cs {
			if pick(cs[i].Image, cs[i].Name) {
				return &cs[i], nil
			}
		}
	}
	return nil, fmt.Errorf("deployment %s has no kuma-cp container", cp)
}

// ImageTag is the tag of an image reference ("" when it has none):
// docker.io/kumahq/kuma-cp:2.13.4@sha256:... gives 2.13.4.
func ImageTag(image string) string {
	_, tag := splitImage(image)
	return tag
}

func splitImage(image string) (repo, tag string) {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	slash := strings.LastIndex(image, "/")
	if colon := strings.LastIndex(image, ":"); colon > slash {
		return image[:colon], image[colon+1:]
	}
	return image, ""
}
