// Package config holds the tool's configuration object: the settings that, in
// a real cluster, come from the Kuma control plane's own configuration and
// shape every gateway it builds (spec section 7). The same object is the KRM
// function's functionConfig.
package config

import (
	"k8s.io/apimachinery/pkg/api/resource"
)

// APIVersion and Kind identify the configuration object in a directory.
const (
	APIVersion = "kubectl-mgi.kuma.io/v1alpha1"
	Kind       = "ControlPlaneConfig"
)

// Config is the decoded spec of a ControlPlaneConfig, with defaults applied.
type Config struct {
	// DataplaneImage is the gateway container's image.
	DataplaneImage string `json:"dataplaneImage,omitempty"`
	// ControlPlaneURL is KUMA_CONTROL_PLANE_URL.
	ControlPlaneURL string `json:"controlPlaneURL,omitempty"`
	// CACert is the PEM text of KUMA_CONTROL_PLANE_CA_CERT; CACertFile, when
	// set, is read (relative to the config file) into CACert.
	CACert     string `json:"caCert,omitempty"`
	CACertFile string `json:"caCertFile,omitempty"`
	// EnvoyAdminPort is the default admin port (annotation kuma.io/envoy-admin-port overrides).
	EnvoyAdminPort int32 `json:"envoyAdminPort,omitempty"`
	// DrainTime is KUMA_DATAPLANE_DRAIN_TIME (annotation kuma.io/sidecar-drain-time overrides).
	DrainTime string `json:"drainTime,omitempty"`
	// DNS is the built-in DNS of the dataplane.
	DNS DNS `json:"dns"`
	// EnvVars are extra container variables; MGI annotation kuma.io/sidecar-env-vars overrides them.
	EnvVars map[string]string `json:"envVars,omitempty"`
	// Resources is the default container resources block (an MGI's
	// spec.resources replaces it); its cpu limit also sets --concurrency.
	Resources Resources `json:"resources"`
	// NodePortRange is the API server's service node-port range, "30000-32767".
	NodePortRange string `json:"nodePortRange,omitempty"`
}

// DNS configures the dataplane's built-in DNS.
type DNS struct {
	// Enabled is a pointer so that an explicit false survives defaulting.
	Enabled       *bool  `json:"enabled,omitempty"`
	CoreDNSPort   int32  `json:"coreDNSPort,omitempty"`
	EnvoyDNSPort  int32  `json:"envoyDNSPort,omitempty"`
	CoreDNSBinary string `json:"coreDNSBinaryPath,omitempty"`
	EnableLogging bool   `json:"logging,omitempty"`
}

// Resources is a container resources block as quantities keyed by resource name.
type Resources struct {
	Requests map[string]resource.Quantity `json:"requests,omitempty"`
	Limits   map[string]resource.Quantity `json:"limits,omitempty"`
}

// DNSEnabled reports whether built-in DNS is on (the default).
func (c Config) DNSEnabled() bool { return c.DNS.Enabled == nil || *c.DNS.Enabled }

// Default returns Kuma's defaults (spec sections 4 and 7).
func Default() Config {
	c := Config{}
	c.ApplyDefaults()
	return c
}

// ApplyDefaults fills every unset field with Kuma's default.
func (c *Config) ApplyDefaults() {
	if c.DataplaneImage == "" {
		c.DataplaneImage = "kuma/kuma-dp:latest"
	}
	if c.ControlPlaneURL == "" {
		c.ControlPlaneURL = "https://kuma-control-plane.kuma-system:5678"
	}
	if c.EnvoyAdminPort == 0 {
		c.EnvoyAdminPort = 9901
	}
	if c.DrainTime == "" {
		c.DrainTime = "30s"
	}
	if c.DNS.CoreDNSPort == 0 {
		c.DNS.CoreDNSPort = 15053
	}
	if c.DNS.EnvoyDNSPort == 0 {
		c.DNS.EnvoyDNSPort = 15055
	}
	if c.DNS.CoreDNSBinary == "" {
		c.DNS.CoreDNSBinary = "coredns"
	}
	if c.Resources.Requests == nil && c.Resources.Limits == nil {
		c.Resources = Resources{
			Requests: map[string]resource.Quantity{
				"cpu":               resource.MustParse("50m"),
				"memory":            resource.MustParse("64Mi"),
				"ephemeral-storage": resource.MustParse("50M"),
			},
			Limits: map[string]resource.Quantity{
				"cpu":               resource.MustParse("1"),
				"memory":            resource.MustParse("512Mi"),
				"ephemeral-storage": resource.MustParse("1G"),
			},
		}
	}
	if c.NodePortRange == "" {
		c.NodePortRange = "30000-32767"
	}
}
