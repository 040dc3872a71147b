package gateway

import (
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
)

// envVars is the gateway container's environment: Kuma's variables, then
// the control plane's extra variables, then kuma.io/sidecar-env-vars, all
// sorted by name; KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES is appended after
// the sort, as the gateway controller does.
func envVars(mesh string, cfg config.Config, cc config.Container, t tuning) []corev1.EnvVar {
	// A list, not a map by name: every variable is appended, and after a
	// stable sort by name the last one set of each name is kept, as a map
	// assignment would keep it.
	vars := make([]corev1.EnvVar, 0, 20+len(cfg.EnvVars)+len(t.envVars))
	set := func(name, value string) { vars = append(vars, corev1.EnvVar{Name: name, Value: value}) }
	// Kuma's factory sets apiVersion "v1" in every fieldRef (an atomic
	// selector too), so the tool does.
	field := func(name, path string) {
		vars = append(vars, corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{
			FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: path},
		}})
	}
	field("POD_NAME", "metadata.name")
	field("POD_NAMESPACE", "metadata.namespace")
	field("INSTANCE_IP", "status.podIP")
	set("KUMA_CONTROL_PLANE_URL", cfg.ControlPlaneURL)
	set("KUMA_DATAPLANE_MESH", mesh)
	set("KUMA_DATAPLANE_DRAIN_TIME", drainTime(cfg, t))
	set("KUMA_DATAPLANE_RUNTIME_TOKEN_PATH", "/var/run/secrets/kubernetes.io/serviceaccount/token")
	set("KUMA_CONTROL_PLANE_CA_CERT", cfg.CACert)
	dnsVars(set, cfg, cc)
	if t.logLevel != nil {
		set("KUMA_DATAPLANE_RUNTIME_ENVOY_LOG_LEVEL", *t.logLevel)
	}
	if t.componentLogLevel != nil {
		set("KUMA_DATAPLANE_RUNTIME_ENVOY_COMPONENT_LOG_LEVEL", *t.componentLogLevel)
	}
	// Kuma's gateway factory runs with probe proxying off, so this is "0"
	// unless the MGI asks for a port (from 2.9; before, no variable).
	if cc.Release.ProbeProxy {
		probePort := uint32(0)
		if t.appProbeProxyPort != nil {
			probePort = *t.appProbeProxyPort
		}
		set("KUMA_APPLICATION_PROBE_PROXY_PORT", strconv.FormatUint(uint64(probePort), 10))
	}
	if cc.OTelPipeExists {
		if cc.OTelPipe {
			field("HOST_IP", "status.hostIP")
		} else {
			set("KUMA_DATAPLANE_RUNTIME_OTEL_PIPE_ENABLED", "false")
		}
	}
	for k, v := range cfg.EnvVars {
		set(k, v)
	}
	for k, v := range t.envVars {
		set(k, v)
	}
	vars = lastByName(vars)

	// Kuma sets no divisor, so its Go client sends the zero Quantity as
	// divisor "0" (encoding/json does not omit a struct). This is rendered
	// as Kuma sends it: resourceFieldRef is atomic, and any difference from
	// kuma-cp's copy would be a conflict on the whole field.
	return append(vars, corev1.EnvVar{
		Name: "KUMA_DATAPLANE_RESOURCES_MAX_MEMORY_BYTES",
		ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{
			ContainerName: ContainerName, Resource: "limits.memory",
		}},
	})
}

// lastByName sorts vars by name and keeps, of each name, the one appended
// last (a stable sort keeps the order of equal names).
func lastByName(vars []corev1.EnvVar) []corev1.EnvVar {
	slices.SortStableFunc(vars, func(a, b corev1.EnvVar) int { return strings.Compare(a.Name, b.Name) })
	out := vars[:0]
	for i := range vars {
		if i+1 < len(vars) && vars[i+1].Name == vars[i].Name {
			continue
		}
		out = append(out, vars[i])
	}
	return out
}

// dnsVars: with built-in DNS off only KUMA_DNS_ENABLED=false remains; with
// the embedded DNS proxy (2.11+) one port replaces the CoreDNS variables.
func dnsVars(set func(string, string), cfg config.Config, cc config.Container) {
	if !cfg.DNSEnabled() {
		set("KUMA_DNS_ENABLED", "false")
		return
	}
	set("KUMA_DNS_ENABLED", "true")
	set("KUMA_DNS_ENABLE_LOGGING", strconv.FormatBool(cfg.DNS.EnableLogging))
	if cc.DNSProxy {
		set("KUMA_DNS_PROXY_PORT", strconv.Itoa(int(cfg.DNS.CoreDNSPort)))
		return
	}
	if cc.Release.CoreDNSEmptyPort {
		set("KUMA_DNS_CORE_DNS_EMPTY_PORT", strconv.Itoa(int(cfg.DNS.CoreDNSPort)+1))
	}
	set("KUMA_DNS_CORE_DNS_PORT", strconv.Itoa(int(cfg.DNS.CoreDNSPort)))
	set("KUMA_DNS_ENVOY_DNS_PORT", strconv.Itoa(int(cfg.DNS.EnvoyDNSPort)))
	set("KUMA_DNS_CORE_DNS_BINARY_PATH", cfg.DNS.CoreDNSBinary)
}
