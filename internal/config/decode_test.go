package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestDefaultsAreKumas(t *testing.T) {
	c := Default()
	if c.DataplaneImage != "kuma/kuma-dp:latest" || c.ControlPlaneURL != "https://kuma-control-plane.kuma-system:5678" ||
		c.EnvoyAdminPort != 9901 || c.DrainTime != "30s" || !c.DNSEnabled() || c.DNS.CoreDNSPort != 15053 ||
		c.DNS.EnvoyDNSPort != 15055 || c.DNS.CoreDNSBinary != "coredns" || c.NodePortRange != "30000-32767" {
		t.Errorf("defaults: %+v", c)
	}
	if cpu := c.Container().Resources.Limits["cpu"]; cpu.String() != "1" {
		t.Errorf("default cpu limit %s, want 1 (Kuma 2.13)", cpu.String())
	}
}

func TestFromRNode(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ca.crt"), []byte("PEM"), 0o644); err != nil {
		t.Fatal(err)
	}
	rn := yaml.MustParse(`apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  dataplaneImage: example/kuma-dp:2.9.3
  caCertFile: ca.crt
  dns: {enabled: false}
  envVars: {A: b}
`)
	c, fs := FromRNode(rn, dir)
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if c.DataplaneImage != "example/kuma-dp:2.9.3" || c.CACert != "PEM" || c.DNSEnabled() || c.EnvVars["A"] != "b" || c.DrainTime != "30s" {
		t.Errorf("decoded %+v", c)
	}
}

func TestFromRNodeFindings(t *testing.T) {
	cases := map[string]string{
		"spec:\n  dataplaneimage: x\n":                `spec.dataplaneimage: ControlPlaneConfig has no field "dataplaneimage" here (allowed: applySet, caCert,`,
		"spec:\n  dns: {port: 1}\n":                   `spec.dns.port: ControlPlaneConfig has no field "port" here (allowed: coreDNSBinaryPath, coreDNSPort, enabled, envoyDNSPort, logging, proxy); remove it`,
		"spec:\n  drainTime: soon\n":                  `spec.drainTime: "soon" is not a duration`,
		"spec:\n  envoyAdminPort: 70000\n":            "spec.envoyAdminPort: port 70000 is out of range",
		"spec:\n  controlPlaneURL: kuma:5678\n":       "spec.controlPlaneURL: \"kuma:5678\" is not an absolute URL",
		"spec:\n  nodePortRange: 32767-30000\n":       "spec.nodePortRange: \"32767-30000\" is not a port range",
		"spec:\n  caCertFile: missing.crt\n":          "spec.caCertFile: cannot read the CA certificate",
		"spec:\n  caCert: x\n  caCertFile: a.crt\n":   "spec.caCertFile: set caCert or caCertFile, not both",
		"spec:\n  envoyAdminPort: nine\n":             `spec.envoyAdminPort: must be a whole number, not "nine"`,
		"spec:\n  resources: {limits: {cpu: lots}}\n": `spec.resources.limits.cpu: "lots" is not a quantity; write it like 500m`,
		"spec:\n  dns: {enabled: maybe}\n":            `spec.dns.enabled: must be true or false, not "maybe"`,
		"spec: [1]\n":                                 "spec: must be a map of fields, not a list",
	}
	for body, want := range cases {
		rn := yaml.MustParse("apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata: {name: kuma}\n" + body)
		_, fs := FromRNode(rn, t.TempDir())
		if len(fs) == 0 {
			t.Errorf("%q: no finding, want %q", body, want)
			continue
		}
		got := fs[0].Field + ": " + fs[0].Message
		if !strings.HasPrefix(got, want) || fs[0].Rule != RuleInvalidConfig {
			t.Errorf("%q: got %q (%s), want prefix %q", body, got, fs[0].Rule, want)
		}
	}
}

// The configuration decodes through the domain's strict decoder: the same
// messages, and a finding at the line and column of the value, the second
// of two equal keys included.
func TestFromRNodeFindingsNameLineAndColumn(t *testing.T) {
	rn := yaml.MustParse("apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata: {name: kuma}\nspec:\n  drainTime: 1s\n  drainTimeout: 2s\n  drainTime: 3s\n")
	_, fs := FromRNode(rn, t.TempDir())
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%d:%d %s %s", f.Pos.Line, f.Pos.Column, f.Field, f.Message))
	}
	want := []string{
		`6:17 spec.drainTimeout ControlPlaneConfig has no field "drainTimeout" here (allowed: applySet, caCert, caCertFile, controlPlaneURL, dataplaneImage, dns, drainTime, envVars, envoyAdminPort, envoyAdminUnixSocket, ignore, kumaVersion, nodePortRange, otelPipe, readinessPort, resources); remove it`,
		`7:3 spec.drainTime is set more than once; keep one`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParsePortRange(t *testing.T) {
	if lo, hi, err := ParsePortRange("30000-32767"); err != nil || lo != 30000 || hi != 32767 {
		t.Errorf("got %d %d %v", lo, hi, err)
	}
	for _, bad := range []string{"", "1", "a-b", "0-10", "10-70000", "5-4"} {
		if _, _, err := ParsePortRange(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
