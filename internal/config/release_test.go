package config

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestContainerPerRelease: the settings that moved between releases default
// per release (Kuma's config.go and bootstrap/config.go at each tag), and an
// explicit setting wins where the release has it.
func TestContainerPerRelease(t *testing.T) {
	for _, c := range []struct {
		version                    string
		cpu                        string // "" is no cpu limit
		dnsProxy, otel, otelExists bool
		probePort                  int32
	}{
		{"2.7", "1", false, false, false, 0},
		{"2.9", "1", false, false, false, 0},
		{"2.11", "1", true, false, false, 0},
		{"2.13.4", "1", true, false, false, 0},
		{"2.14", "", true, true, true, 9902},
	} {
		got := Config{KumaVersion: c.version}.Container()
		cpu, ok := got.Resources.Limits["cpu"]
		if s := cpu.String(); (c.cpu == "") == ok || (ok && s != c.cpu) {
			t.Errorf("%s: cpu limit %q (set %v), want %q", c.version, s, ok, c.cpu)
		}
		if got.DNSProxy != c.dnsProxy || got.OTelPipe != c.otel || got.OTelPipeExists != c.otelExists || got.ProbePort != c.probePort {
			t.Errorf("%s: %+v", c.version, got)
		}
	}
	f := false
	got := Config{KumaVersion: "2.14", EnvoyAdminUnixSocket: &f, OTelPipe: &f, DNS: DNS{Proxy: &f}}.Container()
	if got.ProbePort != 0 || got.OTelPipe || !got.OTelPipeExists || got.DNSProxy {
		t.Errorf("2.14 with the switches off: %+v", got)
	}
	if got := (Config{KumaVersion: "2.14", ReadinessPort: 9999}).Container(); got.ProbePort != 9999 {
		t.Errorf("readinessPort: %+v", got)
	}
}

func TestKumaVersionAndReleaseSettings(t *testing.T) {
	c, fs := FromRNode(yaml.MustParse(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  kumaVersion: "3.0"
`), ".")
	if len(fs) != 1 || fs[0].Field != "spec.kumaVersion" || fs[0].Pos.Line != 5 || !strings.Contains(fs[0].Message, "Kuma 3 has no built-in gateways") {
		t.Fatalf("findings: %v", fs)
	}
	c, fs = FromRNode(yaml.MustParse(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  kumaVersion: 2.9.4
  otelPipe: false
  dns: {proxy: true}
`), ".")
	if len(fs) != 0 || c.Release().Line != "2.9" {
		t.Fatalf("%v %v", c.Release().Line, fs)
	}
	ws := c.CheckRelease()
	if len(ws) != 2 || ws[0].Field != "spec.dns.proxy" || ws[0].Pos.Line != 7 || ws[1].Field != "spec.otelPipe" ||
		!strings.Contains(ws[1].Message, "Kuma 2.9 has no such setting (it exists from 2.14 on)") {
		t.Fatalf("warnings: %v", ws)
	}
	c.KumaVersion = "2.14" // as --kuma-version does
	if ws := c.CheckRelease(); len(ws) != 0 {
		t.Fatalf("2.14: %v", ws)
	}
}
