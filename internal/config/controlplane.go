package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	sigsyaml "sigs.k8s.io/yaml"
)

// The gateway settings of kuma-cp's own configuration: the config file's
// path (kuma-cp.defaults.yaml) and the environment variable that overrides
// it, as pkg/config/plugins/runtime/k8s/config.go,
// pkg/config/xds/bootstrap/config.go, pkg/config/dp-server/config.go and
// pkg/config/core/resources/store/config.go declare them (kumahq/kuma
// v2.13.0 and v2.14.3; the resources variables have no RUNTIME_KUBERNETES
// in their names there). plugin_gateway.go hands exactly these to the
// gateway's container factory.
type cpSetting struct {
	path, env string
}

var (
	cpImage         = cpSetting{"runtime.kubernetes.injector.sidecarContainer.image", "KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE"}
	cpServiceName   = cpSetting{"runtime.kubernetes.controlPlaneServiceName", "KUMA_RUNTIME_KUBERNETES_CONTROL_PLANE_SERVICE_NAME"}
	cpSystemNS      = cpSetting{"store.kubernetes.systemNamespace", "KUMA_STORE_KUBERNETES_SYSTEM_NAMESPACE"}
	cpDPServerPort  = cpSetting{"dpServer.port", "KUMA_DP_SERVER_PORT"}
	cpCACertFile    = cpSetting{"runtime.kubernetes.injector.caCertFile", "KUMA_RUNTIME_KUBERNETES_INJECTOR_CA_CERT_FILE"}
	cpAdminPort     = cpSetting{"bootstrapServer.params.adminPort", "KUMA_BOOTSTRAP_SERVER_PARAMS_ADMIN_PORT"}
	cpUnixSocket    = cpSetting{"bootstrapServer.params.envoyAdminUnixSocket", "KUMA_BOOTSTRAP_SERVER_PARAMS_ENVOY_ADMIN_UNIX_SOCKET"}
	cpReadinessPort = cpSetting{"bootstrapServer.params.readinessPort", "KUMA_BOOTSTRAP_SERVER_PARAMS_READINESS_PORT"}
	cpDrainTime     = cpSetting{"runtime.kubernetes.injector.sidecarContainer.drainTime", "KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_DRAIN_TIME"}
	cpEnvVars       = cpSetting{"runtime.kubernetes.injector.sidecarContainer.envVars", "KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_ENV_VARS"}
	cpDNSEnabled    = cpSetting{"runtime.kubernetes.injector.builtinDNS.enabled", "KUMA_RUNTIME_KUBERNETES_INJECTOR_BUILTIN_DNS_ENABLED"}
	cpDNSPort       = cpSetting{"runtime.kubernetes.injector.builtinDNS.port", "KUMA_RUNTIME_KUBERNETES_INJECTOR_BUILTIN_DNS_PORT"}
	cpDNSLogging    = cpSetting{"runtime.kubernetes.injector.builtinDNS.logging", "KUMA_RUNTIME_KUBERNETES_INJECTOR_BUILTIN_DNS_LOGGING"}
	cpDNSProxy      = cpSetting{"runtime.kubernetes.injector.builtinDNS.experimentalProxy", "KUMA_RUNTIME_KUBERNETES_INJECTOR_BUILTIN_DNS_EXPERIMENTAL_PROXY"}
	cpOTelPipe      = cpSetting{"runtime.kubernetes.injector.otelPipeEnabled", "KUMA_RUNTIME_KUBERNETES_INJECTOR_OTEL_PIPE_ENABLED"}
	cpResources     = []struct {
		cpSetting
		limits bool
		name   string
	}{
		{cpSetting{"runtime.kubernetes.injector.sidecarContainer.resources.requests.cpu", "KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_REQUESTS_CPU"}, false, "cpu"},
		{cpSetting{"runtime.kubernetes.injector.sidecarContainer.resources.requests.memory", "KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_REQUESTS_MEMORY"}, false, "memory"},
		{cpSetting{"runtime.kubernetes.injector.sidecarContainer.resources.limits.cpu", "KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_CPU"}, true, "cpu"},
		{cpSetting{"runtime.kubernetes.injector.sidecarContainer.resources.limits.memory", "KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_MEMORY"}, true, "memory"},
	}
)

// ControlPlaneSettings are the gateway settings a kuma-cp states in its
// config file or its environment: Config holds them, Stated names the
// spec fields they set (the rest are zero: kuma-cp's defaults, which the
// caller takes from elsewhere).
type ControlPlaneSettings struct {
	Config Config
	// Stated are spec field names: kumaVersion, dataplaneImage, caCert
	// (set by the caller, which reads CACertFile),
	// controlPlaneURL, envoyAdminPort, drainTime, envVars, resources,
	// dns.enabled, dns.coreDNSPort, dns.logging, dns.proxy,
	// envoyAdminUnixSocket, readinessPort, otelPipe.
	Stated map[string]bool
	// CACertFile is where kuma-cp reads the CA certificate it hands to
	// gateways ("" when unset): a file in its pod, for the caller to find.
	CACertFile string
}

// FromControlPlane reads the gateway settings of a kuma-cp container: its
// image's tag (the Kuma version), the contents of its config file (nil
// when there is none or it was not read) and its environment, which
// overrides the file as Kuma's loader does (envconfig after the file).
// Only variables with a plain value count. An error names the setting.
func FromControlPlane(image string, file []byte, env map[string]string) (ControlPlaneSettings, error) {
	s := ControlPlaneSettings{Stated: map[string]bool{}}
	if v := versionOfImage(image); v != "" {
		s.Config.KumaVersion = v
		s.Stated["kumaVersion"] = true
	}
	var tree map[string]any
	if len(file) > 0 {
		if err := sigsyaml.Unmarshal(file, &tree); err != nil {
			return s, fmt.Errorf("the kuma-cp config file: %w", err)
		}
	}
	r := cpReader{tree: tree, env: env}
	if v, ok := r.get(cpImage); ok {
		s.Config.DataplaneImage = v
		s.Stated["dataplaneImage"] = true
	}
	if err := s.readURL(&r); err != nil {
		return s, err
	}
	s.CACertFile, _ = r.get(cpCACertFile)
	if err := r.port(cpAdminPort, &s.Config.EnvoyAdminPort); err != nil {
		return s, err
	} else if s.Config.EnvoyAdminPort != 0 {
		s.Stated["envoyAdminPort"] = true
	}
	if v, ok := r.get(cpDrainTime); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return s, r.wrong(cpDrainTime, v, "a duration such as 30s")
		}
		// The factory writes drainTime.String() into the container.
		s.Config.DrainTime = d.String()
		s.Stated["drainTime"] = true
	}
	if err := s.readEnvVars(&r); err != nil {
		return s, err
	}
	if err := s.readDNS(&r); err != nil {
		return s, err
	}
	if err := r.flag(cpUnixSocket, &s.Config.EnvoyAdminUnixSocket); err != nil {
		return s, err
	}
	s.Stated["envoyAdminUnixSocket"] = s.Config.EnvoyAdminUnixSocket != nil
	if err := r.port(cpReadinessPort, &s.Config.ReadinessPort); err != nil {
		return s, err
	}
	s.Stated["readinessPort"] = s.Config.ReadinessPort != 0
	if err := r.flag(cpOTelPipe, &s.Config.OTelPipe); err != nil {
		return s, err
	}
	s.Stated["otelPipe"] = s.Config.OTelPipe != nil
	if err := s.readResources(&r); err != nil {
		return s, err
	}
	for k, v := range s.Stated {
		if !v {
			delete(s.Stated, k)
		}
	}
	return s, nil
}

// readURL: the factory's control-plane URL is
// https://<controlPlaneServiceName>.<systemNamespace>:<dpServer.port>.
func (s *ControlPlaneSettings) readURL(r *cpReader) error {
	name, okName := r.get(cpServiceName)
	ns, okNS := r.get(cpSystemNS)
	port := int32(0)
	if err := r.port(cpDPServerPort, &port); err != nil {
		return err
	}
	if !okName && !okNS && port == 0 {
		return nil
	}
	if !okName {
		name = "kuma-control-plane"
	}
	if !okNS {
		ns = "kuma-system"
	}
	if port == 0 {
		port = 5678
	}
	s.Config.ControlPlaneURL = fmt.Sprintf("https://%s.%s:%d", name, ns, port)
	s.Stated["controlPlaneURL"] = true
	return nil
}

// readEnvVars: the file holds a map; the variable is envconfig's map form,
// "NAME:value,NAME2:value2".
func (s *ControlPlaneSettings) readEnvVars(r *cpReader) error {
	vars := map[string]string{}
	found := false
	if m, ok := r.fileValue(cpEnvVars.path).(map[string]any); ok {
		found = true
		for k, v := range m {
			vars[k] = fmt.Sprint(v)
		}
	}
	if v, ok := r.env[cpEnvVars.env]; ok {
		found = true
		vars = map[string]string{}
		for _, kv := range strings.Split(v, ",") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			k, val, ok := strings.Cut(kv, ":")
			if !ok {
				return r.wrong(cpEnvVars, v, "NAME:value pairs separated by commas")
			}
			vars[k] = val
		}
	}
	if found {
		if len(vars) > 0 {
			s.Config.EnvVars = vars
		}
		s.Stated["envVars"] = true
	}
	return nil
}

// readDNS: the CoreDNS port is builtinDNS.port and Envoy's DNS port two
// above it (the factory's Port+2).
func (s *ControlPlaneSettings) readDNS(r *cpReader) error {
	if err := r.flag(cpDNSEnabled, &s.Config.DNS.Enabled); err != nil {
		return err
	}
	s.Stated["dns.enabled"] = s.Config.DNS.Enabled != nil
	if err := r.port(cpDNSPort, &s.Config.DNS.CoreDNSPort); err != nil {
		return err
	}
	if s.Config.DNS.CoreDNSPort != 0 {
		s.Config.DNS.EnvoyDNSPort = s.Config.DNS.CoreDNSPort + 2
		s.Stated["dns.coreDNSPort"] = true
	}
	var logging *bool
	if err := r.flag(cpDNSLogging, &logging); err != nil {
		return err
	}
	if logging != nil {
		s.Config.DNS.EnableLogging = *logging
		s.Stated["dns.logging"] = true
	}
	if err := r.flag(cpDNSProxy, &s.Config.DNS.Proxy); err != nil {
		return err
	}
	s.Stated["dns.proxy"] = s.Config.DNS.Proxy != nil
	return nil
}

// readResources: a stated quantity replaces the one of the release's
// default block (the release is the image's, else the default one).
func (s *ControlPlaneSettings) readResources(r *cpReader) error {
	var block *Resources
	for _, q := range cpResources {
		v, ok := r.get(q.cpSetting)
		if !ok {
			continue
		}
		qty, err := resource.ParseQuantity(v)
		if err != nil {
			return r.wrong(q.cpSetting, v, "a quantity such as 500m or 512Mi")
		}
		if block == nil {
			rel := s.Config.Release()
			d := defaultResources(rel)
			block = &d
		}
		m := block.Requests
		if q.limits {
			m = block.Limits
		}
		m[q.name] = qty
		if q.limits && q.name == "cpu" && qty.IsZero() && s.Config.Release().ZeroCPUMeansNone {
			delete(m, "cpu")
		}
	}
	if block != nil {
		s.Config.Resources = *block
		s.Stated["resources"] = true
	}
	return nil
}

// Over is base with every stated setting replaced by the control plane's.
func (s ControlPlaneSettings) Over(base Config) Config {
	c, cp := base, s.Config
	set := func(field string, apply func()) {
		if s.Stated[field] {
			apply()
		}
	}
	set("kumaVersion", func() { c.KumaVersion = cp.KumaVersion })
	set("caCert", func() { c.CACert = cp.CACert })
	set("dataplaneImage", func() { c.DataplaneImage = cp.DataplaneImage })
	set("controlPlaneURL", func() { c.ControlPlaneURL = cp.ControlPlaneURL })
	set("envoyAdminPort", func() { c.EnvoyAdminPort = cp.EnvoyAdminPort })
	set("drainTime", func() { c.DrainTime = cp.DrainTime })
	set("envVars", func() { c.EnvVars = cp.EnvVars })
	set("resources", func() { c.Resources = cp.Resources })
	set("dns.enabled", func() { c.DNS.Enabled = cp.DNS.Enabled })
	set("dns.coreDNSPort", func() { c.DNS.CoreDNSPort, c.DNS.EnvoyDNSPort = cp.DNS.CoreDNSPort, cp.DNS.EnvoyDNSPort })
	set("dns.logging", func() { c.DNS.EnableLogging = cp.DNS.EnableLogging })
	set("dns.proxy", func() { c.DNS.Proxy = cp.DNS.Proxy })
	set("envoyAdminUnixSocket", func() { c.EnvoyAdminUnixSocket = cp.EnvoyAdminUnixSocket })
	set("readinessPort", func() { c.ReadinessPort = cp.ReadinessPort })
	set("otelPipe", func() { c.OTelPipe = cp.OTelPipe })
	return c
}

// StatedFields are the stated spec field names, sorted.
func (s ControlPlaneSettings) StatedFields() []string {
	out := make([]string, 0, len(s.Stated))
	for k := range s.Stated {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cpReader looks a setting up in the environment, then the file.
type cpReader struct {
	tree map[string]any
	env  map[string]string
}

func (r *cpReader) fileValue(path string) any {
	var v any = r.tree
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// get is the setting as text, and whether it is set; an empty variable or
// a null in the file is unset, as for envconfig and Kuma's defaults.
func (r *cpReader) get(s cpSetting) (string, bool) {
	if v, ok := r.env[s.env]; ok && v != "" {
		return v, true
	}
	switch v := r.fileValue(s.path).(type) {
	case nil:
		return "", false
	case string:
		return v, v != ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	default:
		return fmt.Sprint(v), true
	}
}

func (r *cpReader) port(s cpSetting, out *int32) error {
	v, ok := r.get(s)
	if !ok {
		return nil
	}
	n, err := strconv.ParseUint(v, 10, 16)
	if err != nil {
		return r.wrong(s, v, "a port number")
	}
	*out = int32(n)
	return nil
}

func (r *cpReader) flag(s cpSetting, out **bool) error {
	v, ok := r.get(s)
	if !ok {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return r.wrong(s, v, "true or false")
	}
	*out = &b
	return nil
}

// wrong names where the value came from: the variable when it is set,
// else the file's path.
func (r *cpReader) wrong(s cpSetting, v, want string) error {
	where := s.path + " in the kuma-cp config file"
	if _, ok := r.env[s.env]; ok {
		where = "environment variable " + s.env
	}
	return fmt.Errorf("%s is %q, not %s as kuma-cp reads it", where, v, want)
}
