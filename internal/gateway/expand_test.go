package gateway

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/golden"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// goldenLines are the Kuma releases every expansion golden case renders
// for: the oldest, the one the first goldens were written for, the default
// and the newest. The default release's file has no suffix
// (default.golden), the others one (default-2.7.golden).
var goldenLines = []string{"2.7", "2.9", kuma.DefaultLine, "2.14"}

func goldenFile(base, ext, line string) string {
	if line == kuma.DefaultLine {
		return base + ext
	}
	return base + "-" + line + ext
}

const expandGateway = `apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata:
  name: edge
mesh: default
spec:
  selectors:
  - match:
      kuma.io/service: "*"
  conf:
    listeners:
    - port: 80
      protocol: HTTP
    - port: 443
      protocol: HTTPS
      tls: {mode: TERMINATE, certificates: [{secret: cert}]}
    - port: 80
      protocol: HTTP
      hostname: other.example.com
`

// TestExpandGolden compares the whole Deployment and Service with a golden file
// per case, and also checks the lines each case is about, so that a wrong
// -update cannot hide the point of the case.
func TestExpandGolden(t *testing.T) {
	cases := []struct {
		name    string
		mgi     string // appended to mgiHead
		cfg     func(*config.Config)
		gateway string
		want    []string
		wantNot []string
	}{
		{name: "default", mgi: "spec: {}\n", want: []string{"replicas: 1", "type: LoadBalancer", "--concurrency=2", `name: "443"`}, wantNot: []string{"nodePort", "lifecycle", "loadBalancerIP", "serviceAccountName", "readOnlyRootFilesystem", "fsGroup"}},
		{name: "no-spec", mgi: "", want: []string{"replicas: 0"}, wantNot: []string{"type:"}},
		{name: "resources", mgi: "spec:\n  resources:\n    limits: {memory: 1Gi}\n", want: []string{"memory: 1Gi"}, wantNot: []string{"ephemeral-storage", "cpu:"}},
		{name: "service-template", mgi: "spec:\n  serviceType: ClusterIP\n  serviceTemplate:\n    metadata:\n      labels: {team: web}\n      annotations: {kuma.io/gateway: custom, lb: internal}\n    spec: {loadBalancerIP: 10.1.2.3}\n",
			want: []string{"loadBalancerIP: 10.1.2.3", "team: web", "kuma.io/gateway: custom", "lb: internal", "type: ClusterIP"}},
		{name: "pod-template", mgi: "spec:\n  podTemplate:\n    metadata:\n      labels: {kuma.io/sidecar-injection: enabled, team: web}\n      annotations: {kuma.io/gateway: other, prometheus.io/scrape: \"true\"}\n    spec:\n      serviceAccountName: gw\n      securityContext: {fsGroup: 2000}\n      container: {securityContext: {readOnlyRootFilesystem: false}}\n",
			want: []string{"kuma.io/sidecar-injection: enabled", "team: web", "kuma.io/gateway: other", "serviceAccountName: gw", "fsGroup: 2000", "readOnlyRootFilesystem: false"}},
		{name: "tags", mgi: "spec:\n  tags: {zone: eu, app: shop}\n", want: []string{`kuma.io/tags: '{"app":"shop","kuma.io/service":"edge_shop_svc","zone":"eu"}'`}},
		{name: "annotations", mgi: "spec: {}\n", want: []string{"port: 9000", "http://localhost:9000/ready", "value: 1m0s", "--concurrency=6", "value: trace", "value: upstream:debug", "name: EXTRA", "value: from-mgi", "value: \"8000\""}},
		{name: "concurrency-zero", mgi: "spec: {}\n", wantNot: []string{"--concurrency"}},
		{name: "control-plane", mgi: "spec: {}\n", cfg: func(c *config.Config) {
			off := false
			c.DNS.Enabled = &off
			c.CACert = "PEM"
			c.DataplaneImage = "example.com/kuma-dp:2.9.3"
			c.ControlPlaneURL = "https://cp:5678"
			c.EnvoyAdminPort = 9911
			c.DrainTime = "45s"
			c.EnvVars = map[string]string{"EXTRA": "from-cp", "KUMA_DNS_ENABLED": "maybe"}
			c.Resources.Requests = map[string]resource.Quantity{"cpu": resource.MustParse("50m"), "memory": resource.MustParse("64Mi"), "ephemeral-storage": resource.MustParse("50M")}
			c.Resources.Limits = map[string]resource.Quantity{"cpu": resource.MustParse("2500m")}
		}, want: []string{"image: example.com/kuma-dp:2.9.3", "value: PEM", "value: https://cp:5678", "port: 9911", "value: 45s", "value: from-cp", "value: maybe", "--concurrency=2"},
			wantNot: []string{"KUMA_DNS_CORE_DNS", "KUMA_DNS_ENVOY", "KUMA_DNS_ENABLE_LOGGING", "memory: 512Mi"}},
		{name: "nodeport", mgi: "spec:\n  serviceType: NodePort\n", gateway: strings.Replace(expandGateway, "port: 443", "port: 30443", 1), want: []string{"nodePort: 30443", "nodePort: 80", "NodePortOutOfRange"}},
		{name: "bad-annotation", mgi: "spec: {}\n", want: []string{"kind: Service", "InvalidAnnotation"}, wantNot: []string{"kind: Deployment"}},
	}
	annotations := map[string]string{
		"annotations":      "    kuma.io/envoy-admin-port: \"9000\"\n    kuma.io/wait-for-dataplane-ready: \"true\"\n    kuma.io/sidecar-drain-time: 1m\n    kuma.io/sidecar-proxy-concurrency: \"6\"\n    kuma.io/envoy-log-level: trace\n    kuma.io/envoy-component-log-level: upstream:debug\n    kuma.io/sidecar-env-vars: EXTRA=from-mgi;KUMA_DNS_ENABLED=true\n    kuma.io/application-probe-proxy-port: \"8000\"\n",
		"concurrency-zero": "    kuma.io/sidecar-proxy-concurrency: \"0\"\n",
		"control-plane":    "    kuma.io/sidecar-env-vars: KUMA_DNS_ENABLED=maybe\n",
		"bad-annotation":   "    kuma.io/sidecar-drain-time: soon\n",
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			head := mgiHead
			if a, ok := annotations[c.name]; ok {
				head += "  annotations:\n" + a
			}
			inst, fs := DecodeInstance(parse(t, head+c.mgi))
			if len(fs) > 0 {
				t.Fatalf("decode: %s", dump(fs))
			}
			gwDoc := expandGateway
			if c.gateway != "" {
				gwDoc = c.gateway
			}
			var got string
			for _, line := range goldenLines {
				cfg := config.Default()
				if c.cfg != nil {
					c.cfg(&cfg)
				}
				cfg.KumaVersion = line
				out := render(t, inst, mustGateway(t, gwDoc), cfg)
				golden.Compare(t, goldenFile(filepath.Join("testdata", "expand", c.name), ".golden", line), out)
				if line == kuma.DefaultLine {
					got = out
				}
			}
			// The lines each case is about, in the default release's output.
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("output has %q", w)
				}
			}
		})
	}
}

// render is the expansion as text: Deployment, Service, then findings.
func render(t *testing.T, inst *Instance, gw *Gateway, cfg config.Config) string {
	t.Helper()
	d, s, fs := Expand(inst, gw, "default", cfg)
	var parts []string
	if d != nil {
		parts = append(parts, toYAML(t, d))
	}
	if s != nil {
		parts = append(parts, toYAML(t, s))
	}
	out := strings.Join(parts, "---\n")
	if len(fs) > 0 {
		out += "# findings:\n# " + strings.ReplaceAll(strings.TrimSpace(dump(fs)), "\n", "\n# ") + "\n"
	}
	return out
}

func TestExpandWithoutGatewayBuildsNothing(t *testing.T) {
	d, s, fs := Expand(mustInstance(t, mgiHead+"spec: {}\n"), nil, "default", config.Default())
	if d != nil || s != nil || fs != nil {
		t.Fatalf("want nothing, got %v %v %v", d, s, fs)
	}
}

func TestExpandIsDeterministic(t *testing.T) {
	inst := mustInstance(t, mgiHead+"spec:\n  tags: {a: b, c: d, e: f}\n  podTemplate: {metadata: {labels: {x: y, z: w}}}\n")
	gw := mustGateway(t, expandGateway)
	first := render(t, inst, gw, config.Default())
	for range 20 {
		if got := render(t, inst, gw, config.Default()); got != first {
			t.Fatalf("output changed between runs:\n%s\n---\n%s", first, got)
		}
	}
}
