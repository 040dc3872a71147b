package config

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestFromGatewayContainer(t *testing.T) {
	c := corev1.Container{
		Name:  "kuma-gateway",
		Image: "docker.io/kumahq/kuma-dp:2.9.3",
		Env: []corev1.EnvVar{
			{Name: "KUMA_CONTROL_PLANE_URL", Value: "https://cp:5678"},
			{Name: "KUMA_CONTROL_PLANE_CA_CERT", Value: "PEM"},
			{Name: "KUMA_DATAPLANE_DRAIN_TIME", Value: "45s"},
			{Name: "KUMA_DNS_ENABLED", Value: "true"},
			{Name: "KUMA_DNS_CORE_DNS_PORT", Value: "15053"},
			{Name: "EXTRA", Value: "x"},
			{Name: "FROM_INSTANCE", Value: "1"},
			{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		},
		LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt(9911)}}},
		Resources:     corev1.ResourceRequirements{Limits: corev1.ResourceList{"memory": resource.MustParse("1Gi")}},
	}
	cfg := FromGatewayContainer(c, Instance{Annotations: map[string]string{"kuma.io/sidecar-env-vars": "FROM_INSTANCE=1"}})
	if cfg.KumaVersion != "2.9.3" {
		t.Errorf("kumaVersion %q, want 2.9.3 from the image tag", cfg.KumaVersion)
	}
	if v := versionOfImage("kumahq/kuma-dp:latest"); v != "" {
		t.Errorf("versionOfImage(latest) = %q", v)
	}
	if cfg.DataplaneImage != c.Image || cfg.ControlPlaneURL != "https://cp:5678" || cfg.CACert != "PEM" || cfg.DrainTime != "45s" || cfg.EnvoyAdminPort != 9911 {
		t.Errorf("cfg = %+v", cfg)
	}
	if len(cfg.EnvVars) != 1 || cfg.EnvVars["EXTRA"] != "x" {
		t.Errorf("envVars = %v (the instance's and Kuma's own must be left out)", cfg.EnvVars)
	}
	if cfg.DNS.Enabled == nil || !*cfg.DNS.Enabled || cfg.DNS.CoreDNSPort != 15053 {
		t.Errorf("dns = %+v", cfg.DNS)
	}
	if q := cfg.Resources.Limits["memory"]; q.String() != "1Gi" {
		t.Errorf("resources = %+v", cfg.Resources)
	}
	// What the instance sets is not the control plane's.
	cfg = FromGatewayContainer(c, Instance{HasResources: true, Annotations: map[string]string{"kuma.io/sidecar-drain-time": "10s", "kuma.io/envoy-admin-port": "9911"}})
	if cfg.DrainTime != "" || cfg.EnvoyAdminPort != 0 || cfg.Resources.Limits != nil {
		t.Errorf("instance settings taken for the control plane's: %+v", cfg)
	}
}

// With the embedded DNS proxy (2.11+), KUMA_DNS_PROXY_PORT is builtinDNS.port.
func TestFromGatewayContainerDNSProxy(t *testing.T) {
	c := corev1.Container{Env: []corev1.EnvVar{{Name: "KUMA_DNS_ENABLED", Value: "true"}, {Name: "KUMA_DNS_PROXY_PORT", Value: "16053"}}}
	d := FromGatewayContainer(c, Instance{}).DNS
	if d.CoreDNSPort != 16053 || d.EnvoyDNSPort != 16055 {
		t.Errorf("dns %+v, want ports 16053 and 16055", d)
	}
}
