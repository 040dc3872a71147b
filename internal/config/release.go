package config

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// Container is the control plane's settings for the gateway container as
// the chosen release sees them: the settings that moved between releases,
// each either given in the ControlPlaneConfig or that release's default.
type Container struct {
	Release kuma.Release
	// Resources is spec.resources, else the release's default block.
	Resources Resources
	// DNSProxy: KUMA_DNS_PROXY_PORT instead of the CoreDNS variables.
	DNSProxy bool
	// ProbePort is where the probes and the wait-for-dataplane URL point
	// when the admin API is on a Unix socket; 0 means the admin port.
	ProbePort int32
	// OTelPipe: on gives HOST_IP, off KUMA_DATAPLANE_RUNTIME_OTEL_PIPE_ENABLED=false;
	// OTelPipeExists is false before 2.14, where neither is written.
	OTelPipe, OTelPipeExists bool
}

// Container resolves the release-dependent settings.
func (c Config) Container() Container {
	r := c.Release()
	out := Container{Release: r, Resources: c.Resources}
	if out.Resources.Requests == nil && out.Resources.Limits == nil {
		out.Resources = defaultResources(r)
	}
	out.DNSProxy = r.DNSProxy.Exists && pick(c.DNS.Proxy, r.DNSProxy.Default)
	if r.AdminUnixSocket.Exists && pick(c.EnvoyAdminUnixSocket, r.AdminUnixSocket.Default) {
		out.ProbePort = r.ReadinessPort
		if c.ReadinessPort != 0 {
			out.ProbePort = c.ReadinessPort
		}
	}
	out.OTelPipeExists = r.OTelPipe.Exists
	out.OTelPipe = r.OTelPipe.Exists && pick(c.OTelPipe, r.OTelPipe.Default)
	return out
}

func pick(v *bool, def bool) bool {
	if v == nil {
		return def
	}
	return *v
}

// defaultResources is the release's sidecarContainer.resources; a CPU limit
// of "0" is no limit (Kuma 2.14 leaves it out of the block).
func defaultResources(r kuma.Release) Resources {
	limits := map[string]resource.Quantity{
		"memory":            resource.MustParse("512Mi"),
		"ephemeral-storage": resource.MustParse("1G"),
	}
	if cpu := resource.MustParse(r.CPULimit); !cpu.IsZero() || !r.ZeroCPUMeansNone {
		limits["cpu"] = cpu
	}
	return Resources{
		Requests: map[string]resource.Quantity{
			"cpu":               resource.MustParse("50m"),
			"memory":            resource.MustParse("64Mi"),
			"ephemeral-storage": resource.MustParse("50M"),
		},
		Limits: limits,
	}
}

// RuleSettingNotInRelease: a ControlPlaneConfig setting that the chosen
// Kuma release does not have, so it changes nothing.
const RuleSettingNotInRelease = "SettingNotInRelease"

// CheckRelease warns about settings the chosen release does not have: they
// are ignored, which a user previewing another release should know.
func (c Config) CheckRelease() finding.List {
	r := c.Release()
	var out finding.List
	warn := func(field, since string) {
		f := finding.Finding{
			Rule: RuleSettingNotInRelease, Severity: finding.Warning, Field: field,
			Message: fmt.Sprintf("Kuma %s has no such setting (it exists from %s on), so it is ignored; remove it or build for Kuma %s or later (spec.kumaVersion or --kuma-version)", r.Line, since, since),
		}
		if c.node != nil {
			f.Object, f.Pos = source.Ref(c.node), source.FieldPosition(c.node, field)
			if c.inConfigMap {
				f.Field = "data." + strings.TrimPrefix(field, "spec.")
				f.Pos = source.FieldPosition(c.node, "data")
			}
		}
		out = append(out, f)
	}
	if c.DNS.Proxy != nil && !r.DNSProxy.Exists {
		warn("spec.dns.proxy", firstWith(func(x kuma.Release) bool { return x.DNSProxy.Exists }))
	}
	if c.EnvoyAdminUnixSocket != nil && !r.AdminUnixSocket.Exists {
		warn("spec.envoyAdminUnixSocket", firstWith(func(x kuma.Release) bool { return x.AdminUnixSocket.Exists }))
	}
	if c.ReadinessPort != 0 && !r.AdminUnixSocket.Exists {
		warn("spec.readinessPort", firstWith(func(x kuma.Release) bool { return x.AdminUnixSocket.Exists }))
	}
	if c.OTelPipe != nil && !r.OTelPipe.Exists {
		warn("spec.otelPipe", firstWith(func(x kuma.Release) bool { return x.OTelPipe.Exists }))
	}
	return out
}

// firstWith is the first release line that has a feature.
func firstWith(has func(kuma.Release) bool) string {
	for _, r := range kuma.Releases {
		if has(r) {
			return r.Line
		}
	}
	return "a later release"
}
