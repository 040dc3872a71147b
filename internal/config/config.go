// Package config holds the tool's configuration object: the settings that, in
// a real cluster, come from the Kuma control plane's own configuration and
// shape every gateway it builds (spec section 7). The same object is the KRM
// function's functionConfig.
package config

import (
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// APIVersion and Kind identify the configuration object in a directory.
const (
	APIVersion = "kubectl-mgi.kuma.io/v1alpha1"
	Kind       = "ControlPlaneConfig"
)

// Config is the decoded spec of a ControlPlaneConfig, with defaults applied.
type Config struct {
	// KumaVersion is the Kuma release to build for ("2.13" or "2.13.4";
	// "" is kuma.DefaultLine). --kuma-version replaces it.
	KumaVersion string `json:"kumaVersion,omitempty"`
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
	// Unset, it is the release's default (Container() fills it).
	Resources Resources `json:"resources"`
	// EnvoyAdminUnixSocket is Kuma 2.14's bootstrapServer.params.envoyAdminUnixSocket:
	// on, the probes use ReadinessPort. Nil is the release's default.
	EnvoyAdminUnixSocket *bool `json:"envoyAdminUnixSocket,omitempty"`
	// ReadinessPort is Kuma 2.14's bootstrapServer.params.readinessPort.
	ReadinessPort int32 `json:"readinessPort,omitempty"`
	// OTelPipe is Kuma 2.14's injector.otelPipeEnabled. Nil is the release's default.
	OTelPipe *bool `json:"otelPipe,omitempty"`
	// NodePortRange is the API server's service node-port range,
	// "30000-32767". Unset, plan and apply read it from the cluster
	// (Inputs.Expand), else it is kube-apiserver's default.
	NodePortRange string `json:"nodePortRange,omitempty"`
	// ApplySet names the directory's ApplySet parent, as --applyset does
	// (NAME, secrets/NAME or configmaps/NAME, in the namespace of -n): a
	// plain plan or apply of the directory uses it, and --applyset must
	// agree.
	ApplySet string `json:"applySet,omitempty"`
	// Ignore lists the rendered fields that belong to someone else (an
	// autoscaler's spec.replicas): plan and apply leave them out of what
	// they send and compare, and never take them over.
	Ignore []IgnoreRule `json:"ignore,omitempty"`

	// node is the object this was decoded from, for the positions of
	// findings about settings the chosen release lacks; nil for defaults.
	node *yaml.RNode
	// inConfigMap: node is a ConfigMap, whose fields are data.<field>.
	inConfigMap bool
	// nodePortRangeSet: spec.nodePortRange was written (not defaulted);
	// it then wins over the range read from the cluster.
	nodePortRangeSet bool
}

// NodePortRangeSet reports whether spec.nodePortRange was written, and so
// wins over the range plan and apply read from the cluster.
func (c Config) NodePortRangeSet() bool { return c.nodePortRangeSet }

// DNS configures the dataplane's built-in DNS.
type DNS struct {
	// Enabled is a pointer so that an explicit false survives defaulting.
	Enabled       *bool  `json:"enabled,omitempty"`
	CoreDNSPort   int32  `json:"coreDNSPort,omitempty"`
	EnvoyDNSPort  int32  `json:"envoyDNSPort,omitempty"`
	CoreDNSBinary string `json:"coreDNSBinaryPath,omitempty"`
	EnableLogging bool   `json:"logging,omitempty"`
	// Proxy is builtinDNS.experimentalProxy (Kuma 2.11+): the embedded DNS
	// proxy, KUMA_DNS_PROXY_PORT instead of the CoreDNS variables. Nil is
	// the release's default.
	Proxy *bool `json:"proxy,omitempty"`
}

// Resources is a container resources block as quantities keyed by resource name.
type Resources struct {
	Requests map[string]resource.Quantity `json:"requests,omitempty"`
	Limits   map[string]resource.Quantity `json:"limits,omitempty"`
}

// DNSEnabled reports whether built-in DNS is on (the default).
func (c Config) DNSEnabled() bool { return c.DNS.Enabled == nil || *c.DNS.Enabled }

// Release is the profile of KumaVersion; an unknown version (reported when
// the config was decoded) gives the default release.
func (c Config) Release() kuma.Release {
	if c.KumaVersion == "" {
		return kuma.Default()
	}
	r, err := kuma.Lookup(c.KumaVersion)
	if err != nil {
		return kuma.Default()
	}
	return r
}

// Default returns Kuma's defaults (spec sections 4 and 7).
func Default() Config {
	c := Config{}
	c.ApplyDefaults()
	return c
}

// ApplyDefaults fills every unset field whose default is the same in every
// release; Container resolves the rest for the chosen release.
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
	if c.NodePortRange == "" {
		c.NodePortRange = "30000-32767"
	}
}
