package config

import (
	"reflect"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
)

// TestFromControlPlane reads the settings a Helm-installed kuma-cp states:
// the image tag, the config file, and the variables that override it.
func TestFromControlPlane(t *testing.T) {
	file := []byte(`
runtime:
  kubernetes:
    injector:
      sidecarContainer:
        drainTime: 1m30s
        image: from-file:1
        envVars: {A: "1"}
        resources:
          limits: {memory: 1Gi}
      builtinDNS:
        port: 16053
        logging: true
bootstrapServer:
  params:
    adminPort: 9911
`)
	env := map[string]string{
		"KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE":    "docker.io/kumahq/kuma-dp:2.13.0",
		"KUMA_STORE_KUBERNETES_SYSTEM_NAMESPACE":                      "mesh-system",
		"KUMA_RUNTIME_KUBERNETES_INJECTOR_CA_CERT_FILE":               "/var/run/secrets/kuma.io/tls-cert/ca.crt",
		"KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_CPU":        "2",
		"KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_ENV_VARS": "B:2,C:x:y",
		"KUMA_MODE": "zone",
	}
	s, err := FromControlPlane("docker.io/kumahq/kuma-cp:2.13.0", file, env)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config
	if c.KumaVersion != "2.13.0" || c.DataplaneImage != "docker.io/kumahq/kuma-dp:2.13.0" {
		t.Errorf("version %q image %q: the image tag and the variable (over the file)", c.KumaVersion, c.DataplaneImage)
	}
	if c.ControlPlaneURL != "https://kuma-control-plane.mesh-system:5678" {
		t.Errorf("controlPlaneURL %q", c.ControlPlaneURL)
	}
	if c.DrainTime != "1m30s" || c.EnvoyAdminPort != 9911 {
		t.Errorf("drainTime %q adminPort %d", c.DrainTime, c.EnvoyAdminPort)
	}
	if !reflect.DeepEqual(c.EnvVars, map[string]string{"B": "2", "C": "x:y"}) {
		t.Errorf("envVars %v: the variable replaces the file's map", c.EnvVars)
	}
	if c.DNS.CoreDNSPort != 16053 || c.DNS.EnvoyDNSPort != 16055 || !c.DNS.EnableLogging {
		t.Errorf("dns %+v", c.DNS)
	}
	q := func(m map[string]resource.Quantity, k string) string { v := m[k]; return v.String() }
	if lim := c.Resources.Limits; q(lim, "cpu") != "2" || q(lim, "memory") != "1Gi" || q(lim, "ephemeral-storage") != "1G" {
		t.Errorf("limits %v: stated quantities over the release's default block", lim)
	}
	if req := c.Resources.Requests; q(req, "cpu") != "50m" {
		t.Errorf("requests %v", req)
	}
	if s.CACertFile != "/var/run/secrets/kuma.io/tls-cert/ca.crt" {
		t.Errorf("caCertFile %q", s.CACertFile)
	}
	want := []string{"controlPlaneURL", "dataplaneImage", "dns.coreDNSPort", "dns.logging", "drainTime", "envVars", "envoyAdminPort", "kumaVersion", "resources"}
	if got := s.StatedFields(); !reflect.DeepEqual(got, want) {
		t.Errorf("stated %v, want %v", got, want)
	}

	// Over keeps what the control plane does not state.
	base := Config{CACert: "PEM", DNS: DNS{CoreDNSBinary: "coredns"}, OTelPipe: new(bool)}
	got := s.Over(base)
	if got.CACert != "PEM" || got.OTelPipe == nil || got.DNS.CoreDNSBinary != "coredns" || got.DataplaneImage != c.DataplaneImage {
		t.Errorf("over: %+v", got)
	}
}

func TestFromControlPlaneNothingStated(t *testing.T) {
	s, err := FromControlPlane("registry.example/kuma-cp:custom", nil, map[string]string{"KUMA_MODE": "zone"})
	if err != nil || len(s.Stated) != 0 {
		t.Errorf("stated %v, err %v: a custom tag and no settings state nothing", s.Stated, err)
	}
}

func TestFromControlPlaneErrorsNameTheSetting(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		file string
		want string
	}{
		{map[string]string{"KUMA_BOOTSTRAP_SERVER_PARAMS_ADMIN_PORT": "x"}, "", "environment variable KUMA_BOOTSTRAP_SERVER_PARAMS_ADMIN_PORT"},
		{nil, "runtime: {kubernetes: {injector: {sidecarContainer: {drainTime: soon}}}}", "runtime.kubernetes.injector.sidecarContainer.drainTime in the kuma-cp config file"},
		{map[string]string{"KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_ENV_VARS": "A=1"}, "", "NAME:value"},
		{map[string]string{"KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_MEMORY": "lots"}, "", "a quantity"},
		{nil, "runtime: [", "config file"},
	} {
		_, err := FromControlPlane("kuma-cp:2.13.0", []byte(tc.file), tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %q: error %v, want it to name %q", tc.env, tc.file, err, tc.want)
		}
	}
}

// A zero CPU limit is no limit in 2.14, as the release's own default.
func TestFromControlPlaneZeroCPU214(t *testing.T) {
	s, err := FromControlPlane("kuma-cp:2.14.3", nil, map[string]string{"KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_CPU": "0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Config.Resources.Limits["cpu"]; ok {
		t.Errorf("limits %v: 2.14 drops a zero CPU limit", s.Config.Resources.Limits)
	}
}
