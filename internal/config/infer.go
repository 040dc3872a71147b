package config

import (
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// kumaEnv are the variables Kuma's gateway factory sets itself; any other
// variable of a gateway container comes from the control plane's extra
// variables (envVars) or the instance's kuma.io/sidecar-env-vars.
var kumaEnv = map[string]bool{
	"POD_NAME": true, "POD_NAMESPACE": true, "INSTANCE_IP": true, "HOST_IP": true,
	"KUMA_CONTROL_PLANE_URL": true, "KUMA_DATAPLANE_MESH": true, "KUMA_DATAPLANE_DRAIN_TIME": true,
	"KUMA_DATAPLANE_RUNTIME_TOKEN_PATH": true, "KUMA_CONTROL_PLANE_CA_CERT": true,
	"KUMA_DATAPLANE_RUNTIME_ENVOY_LOG_LEVEL": true, "KUMA_DATAPLANE_RUNTIME_ENVOY_COMPONENT_LOG_LEVEL": true,
	"KUMA_APPLICATION_PROBE_PROXY_PORT": true, "KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES": true,
}

// Instance says what of a gateway container came from its instance rather
// than from the control plane.
type Instance struct {
	// Annotations are the instance's annotations.
	Annotations map[string]string
	// HasResources is true when the instance sets spec.resources, which
	// replaces the control plane's default resources.
	HasResources bool
}

// FromGatewayContainer reads the control-plane settings a Kuma-built gateway
// container shows: image, control-plane URL, CA certificate, drain time,
// admin port (the probes' port), DNS, extra variables and default
// resources, leaving out what the instance's annotations or resources set.
// Settings it does not show keep Kuma's defaults.
func FromGatewayContainer(c corev1.Container, inst Instance) Config {
	var cfg Config
	cfg.DataplaneImage = c.Image
	cfg.KumaVersion = versionOfImage(c.Image)
	fromInstance := instanceEnv(inst.Annotations["kuma.io/sidecar-env-vars"])
	env := map[string]string{}
	for _, e := range c.Env {
		if e.ValueFrom != nil {
			continue
		}
		env[e.Name] = e.Value
		if !kumaEnv[e.Name] && !strings.HasPrefix(e.Name, "KUMA_DNS_") && !fromInstance[e.Name] {
			if cfg.EnvVars == nil {
				cfg.EnvVars = map[string]string{}
			}
			cfg.EnvVars[e.Name] = e.Value
		}
	}
	cfg.ControlPlaneURL = env["KUMA_CONTROL_PLANE_URL"]
	cfg.CACert = env["KUMA_CONTROL_PLANE_CA_CERT"]
	if _, set := inst.Annotations["kuma.io/sidecar-drain-time"]; !set {
		cfg.DrainTime = env["KUMA_DATAPLANE_DRAIN_TIME"]
	}
	if _, set := inst.Annotations["kuma.io/envoy-admin-port"]; !set && c.LivenessProbe != nil && c.LivenessProbe.HTTPGet != nil {
		cfg.EnvoyAdminPort = c.LivenessProbe.HTTPGet.Port.IntVal
	}
	cfg.DNS = dnsFrom(env)
	if !inst.HasResources {
		cfg.Resources = Resources{Requests: quantities(c.Resources.Requests), Limits: quantities(c.Resources.Limits)}
	}
	return cfg
}

// instanceEnv names the variables of a kuma.io/sidecar-env-vars value
// ("NAME=value;NAME2=value2").
func instanceEnv(v string) map[string]bool {
	out := map[string]bool{}
	for _, kv := range strings.Split(v, ";") {
		if name, _, ok := strings.Cut(kv, "="); ok {
			out[strings.TrimSpace(name)] = true
		}
	}
	return out
}

func dnsFrom(env map[string]string) DNS {
	var d DNS
	if v, ok := env["KUMA_DNS_ENABLED"]; ok {
		on := v == "true"
		d.Enabled = &on
	}
	d.EnableLogging = env["KUMA_DNS_ENABLE_LOGGING"] == "true"
	d.CoreDNSPort = port(env["KUMA_DNS_CORE_DNS_PORT"])
	d.EnvoyDNSPort = port(env["KUMA_DNS_ENVOY_DNS_PORT"])
	if p, ok := env["KUMA_DNS_PROXY_PORT"]; ok {
		// The embedded DNS proxy (2.11+) listens on builtinDNS.port, of
		// which Kuma's factory makes Envoy's DNS port two above.
		d.CoreDNSPort = port(p)
		if d.CoreDNSPort != 0 {
			d.EnvoyDNSPort = d.CoreDNSPort + 2
		}
	}
	d.CoreDNSBinary = env["KUMA_DNS_CORE_DNS_BINARY_PATH"]
	return d
}

func port(s string) int32 {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

func quantities(l corev1.ResourceList) map[string]resource.Quantity {
	if len(l) == 0 {
		return nil
	}
	out := map[string]resource.Quantity{}
	for k, v := range l {
		out[string(k)] = v
	}
	return out
}

// versionOfImage is the Kuma release of a kuma-dp image tag ("…/kuma-dp:2.9.3"
// gives "2.9.3"), "" when the tag names no release this tool knows (latest,
// a digest, a custom build): the config then keeps the default release.
func versionOfImage(image string) string {
	if at := strings.Index(image, "@"); at >= 0 {
		image = image[:at]
	}
	slash := strings.LastIndex(image, "/")
	colon := strings.LastIndex(image, ":")
	if colon <= slash {
		return ""
	}
	tag := strings.TrimPrefix(image[colon+1:], "v")
	if _, err := kuma.Lookup(tag); err != nil {
		return ""
	}
	return tag
}
