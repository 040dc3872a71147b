package config

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func configMap(data string) *yaml.RNode {
	return yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mgi\ndata:\n" + data)
}

func TestFromConfigMapTypes(t *testing.T) {
	cfg, fs := FromConfigMap(configMap(`  envoyAdminPort: "9902"
  dns.enabled: "false"
  dns.coreDNSPort: "1053"
  resources.limits.cpu: "2"
  envVars.A: b
  mode: validate
`), ".", "mode")
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if cfg.EnvoyAdminPort != 9902 || cfg.DNSEnabled() || cfg.DNS.CoreDNSPort != 1053 || cfg.EnvVars["A"] != "b" {
		t.Errorf("decoded %+v", cfg)
	}
	if q := cfg.Resources.Limits["cpu"]; q.String() != "2" {
		t.Errorf("resources.limits.cpu = %s, want 2", q.String())
	}
	if cfg.DataplaneImage != Default().DataplaneImage {
		t.Errorf("defaults not applied: %q", cfg.DataplaneImage)
	}
}

func TestFromConfigMapErrors(t *testing.T) {
	for _, c := range []struct{ data, field, want string }{
		{"  dataPlaneImage: x\n", "data.dataPlaneImage", `unknown key "dataPlaneImage"`},
		{"  dns: x\n", "data.dns", "names a group of settings"},
		{"  envVars: x\n", "data.envVars", "is a map"},
		{"  drainTime.x: y\n", "data.drainTime.x", "is not a group of settings"},
		{"  envoyAdminPort: ten\n", "data.envoyAdminPort", "not a whole number"},
		{"  drainTime: soon\n", "data.drainTime", "not a duration"},
		{"  mode: validate\n", "data.mode", `unknown key "mode"`},
	} {
		_, fs := FromConfigMap(configMap(c.data), ".")
		if len(fs) != 1 || fs[0].Field != c.field || !strings.Contains(fs[0].Message, c.want) || fs[0].Object.Kind != "ConfigMap" {
			t.Errorf("%q: findings %v, want one on %s containing %q", c.data, fs, c.field, c.want)
		}
	}
}

func TestConfigMapKumaSettings(t *testing.T) {
	cm := yaml.MustParse(`apiVersion: v1
kind: ConfigMap
metadata: {name: kuma}
data:
  kumaVersion: "2.13.2"
  otelPipe: "false"
  dns.proxy: "false"
`)
	c, fs := FromConfigMap(cm, ".")
	if len(fs) != 0 || c.Release().Line != "2.13" || c.DNS.Proxy == nil || *c.DNS.Proxy {
		t.Fatalf("%+v %v", c, fs)
	}
	ws := c.CheckRelease()
	if len(ws) != 1 || ws[0].Field != "data.otelPipe" || ws[0].Object.Kind != "ConfigMap" {
		t.Fatalf("warnings: %v", ws)
	}
}

// Every number and boolean field of the spec is typed from Config itself,
// including fields added after the ConfigMap form (readinessPort, dns.proxy).
func TestScalarKindFollowsConfig(t *testing.T) {
	for path, want := range map[string]string{
		"envoyAdminPort": yaml.NodeTagInt, "readinessPort": yaml.NodeTagInt, "dns.coreDNSPort": yaml.NodeTagInt,
		"dns.enabled": yaml.NodeTagBool, "dns.proxy": yaml.NodeTagBool, "envoyAdminUnixSocket": yaml.NodeTagBool,
		"dataplaneImage": yaml.NodeTagString, "kumaVersion": yaml.NodeTagString, "resources.limits.cpu": yaml.NodeTagString,
	} {
		if got := scalarKind(path); got != want {
			t.Errorf("scalarKind(%q) = %s, want %s", path, got, want)
		}
	}
	cfg, fs := FromConfigMap(configMap("  readinessPort: \"9902\"\n  dns.proxy: \"true\"\n"), ".")
	if len(fs) != 0 || cfg.ReadinessPort != 9902 || cfg.DNS.Proxy == nil || !*cfg.DNS.Proxy {
		t.Errorf("decoded %+v, findings %v", cfg, fs)
	}
}
