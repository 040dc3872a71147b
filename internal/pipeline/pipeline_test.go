package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestDocsExamplesRenderClean keeps docs/examples honest: what the README
// shows must render without a single finding.
func TestDocsExamplesRenderClean(t *testing.T) {
	res, err := Run(Options{Paths: []string{"../../docs/examples"}, DefaultNamespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) > 0 {
		var b bytes.Buffer
		_ = finding.PrintText(&b, res.Findings)
		t.Fatalf("docs/examples has findings:\n%s", b.String())
	}
	got := map[string]bool{}
	for _, o := range res.Objects {
		got[o.GetKind()+"/"+o.GetNamespace()+"/"+o.GetName()] = true
	}
	for _, want := range []string{"Namespace//edge", "MeshGateway//edge-gateway", "Service/edge/edge-gateway", "Deployment/edge/edge-gateway"} {
		if !got[want] {
			t.Errorf("docs/examples does not render %s; got %v", want, got)
		}
	}
	if got["MeshGatewayInstance/edge/edge-gateway"] || got["ControlPlaneConfig//kuma"] {
		t.Errorf("local config leaked into the output: %v", got)
	}
	var out bytes.Buffer
	if err := codec.WriteYAML(&out, res.Objects); err != nil {
		t.Fatal(err)
	}
	// The example's config and annotation must reach the container.
	for _, want := range []string{"image: docker.io/kumahq/kuma-dp:2.9.3", "value: 45s", "replicas: 2"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("rendered examples lack %q", want)
		}
	}
}

const tuningGateway = `apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata: {name: edge}
mesh: default
spec:
  selectors: [{match: {kuma.io/service: "*"}}]
  conf: {listeners: [{port: 80, protocol: HTTP}]}
`

// TestAnnotationProblemsReportedOnce: Validate and gateway.Expand both parse
// the annotations; a warning must still be printed once, and an error must
// stop the instance before Expand (which would report it a second time).
func TestAnnotationProblemsReportedOnce(t *testing.T) {
	cases := []struct {
		annotation, rule string
		severity         finding.Severity
		objects          int
	}{
		{"kuma.io/envoy-log-level: chatty", gateway.UnknownLogLevel, finding.Warning, 3},
		{"kuma.io/sidecar-drain-time: soon", gateway.InvalidAnnotation, finding.Error, 1},
	}
	for _, c := range cases {
		in := "apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata:\n  name: a\n  namespace: default\n  annotations:\n    " + c.annotation + "\nspec: {}\n---\n" + tuningGateway
		res, err := Run(Options{Paths: []string{"-"}, Stdin: strings.NewReader(in)})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range res.Findings {
			if f.Rule == c.rule {
				n++
				if f.Severity != c.severity || f.Field != `metadata.annotations["`+strings.SplitN(c.annotation, ":", 2)[0]+`"]` {
					t.Errorf("%s: %v", c.annotation, f)
				}
			}
		}
		if n != 1 || len(res.Findings) != 1 {
			t.Errorf("%s: want one %s finding, got %v", c.annotation, c.rule, res.Findings)
		}
		if len(res.Objects) != c.objects {
			t.Errorf("%s: %d objects, want %d", c.annotation, len(res.Objects), c.objects)
		}
	}
}

// TestGoldenCasesCoverEveryRule ties the golden suite to the rule table: a
// new rule of internal/gateway must come with a golden case that shows it.
func TestGoldenCasesCoverEveryRule(t *testing.T) {
	files, err := filepath.Glob(goldenRoot + "/*/findings*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no findings.txt under %s: %v", goldenRoot, err)
	}
	var all strings.Builder
	for _, f := range files {
		all.WriteString(readFile(t, f))
	}
	// Rules that are not part of spec section 6 and are covered by
	// internal/gateway's own tests.
	elsewhere := map[string]bool{gateway.DuplicateField: true, gateway.InvalidQuantity: true}
	for _, r := range gateway.Rules {
		if !elsewhere[r.ID] && !strings.Contains(all.String(), "["+r.ID+"]") {
			t.Errorf("no golden case shows rule %s", r.ID)
		}
	}
	for _, r := range []string{"InvalidYAML", "NotAnObject", "DuplicateObject", "InvalidConfig", RuleConfigConflict} {
		if !strings.Contains(all.String(), "["+r+"]") {
			t.Errorf("no golden case shows rule %s", r)
		}
	}
}

// TestStdinAndDefaultNamespace: "-" reads standard input, findings name it
// <stdin>, and an instance without namespace takes DefaultNamespace.
func TestStdinAndDefaultNamespace(t *testing.T) {
	in := "apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: a}\n"
	res, err := Run(Options{Paths: []string{"-"}, Stdin: strings.NewReader(in + "---\n" + tuningGateway), DefaultNamespace: "team"})
	if err != nil {
		t.Fatal(err)
	}
	// The instance relies on the default namespace, and says so.
	if len(res.Findings) != 2 || res.Findings[0].Rule != gateway.EmptySpec || res.Findings[0].Pos.File != "<stdin>" ||
		res.Findings[1].Rule != RuleImplicitNamespace || !strings.Contains(res.Findings[1].Message, "namespace team") {
		t.Fatalf("findings %v", res.Findings)
	}
	for _, o := range res.Objects {
		if (o.GetKind() == "Deployment" || o.GetKind() == "Service") && o.GetNamespace() != "team" {
			t.Errorf("%s in namespace %q, want team", o.GetKind(), o.GetNamespace())
		}
	}
}

// TestRunErrors: inputs that cannot be read at all are an error, not findings.
func TestRunErrors(t *testing.T) {
	if _, err := Run(Options{Paths: []string{"../../testdata/golden/does-not-exist"}}); err == nil || !strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := Run(Options{Paths: []string{"-"}}); err == nil {
		t.Error("- without a stdin stream must fail")
	}
	if _, err := Run(Options{Paths: []string{"../../docs/examples"}, ConfigFile: "../../docs/examples/instance.yaml"}); err == nil || !strings.Contains(err.Error(), "--config") {
		t.Errorf("--config pointing at a non-config: %v", err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLiveObjects: plan and apply pass the cluster's Namespaces and
// MeshGateways; the directory's objects of the same name win over them.
func TestLiveObjects(t *testing.T) {
	parse := func(s string) *yaml.RNode {
		n, err := yaml.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	liveNS := parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {kuma.io/mesh: payments}}\n")
	liveGW := parse("apiVersion: kuma.io/v1alpha1\nkind: MeshGateway\nmetadata: {name: edge}\nmesh: payments\nspec:\n  selectors: [{match: {kuma.io/service: \"*\"}}]\n  conf: {listeners: [{port: 9001, protocol: HTTP}]}\n")
	inst := "apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: a, namespace: shop}\nspec: {}\n"
	run := func(in string) string {
		inputs, err := Read(Options{Paths: []string{"-"}, Stdin: strings.NewReader(in)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := inputs.Expand(Live{Namespaces: []*yaml.RNode{liveNS}, Gateways: []*yaml.RNode{liveGW}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Findings.HasErrors() {
			t.Fatalf("findings %v", res.Findings)
		}
		var b bytes.Buffer
		if err := codec.WriteYAML(&b, res.Objects); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	// Mesh from the live Namespace, gateway from the live MeshGateway (not
	// emitted: it is not part of the directory).
	out := run(inst)
	if !strings.Contains(out, "kuma.io/mesh: payments") || !strings.Contains(out, "port: 9001") || strings.Contains(out, "kind: MeshGateway") {
		t.Errorf("live objects not used:\n%s", out)
	}
	// The directory's Namespace and MeshGateway replace the live ones.
	local := inst + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n" + strings.Replace(tuningGateway, "port: 80", "port: 9002", 1)
	out = run(local)
	if !strings.Contains(out, "kuma.io/mesh: default") || !strings.Contains(out, "port: 9002") || strings.Contains(out, "port: 9001") {
		t.Errorf("directory objects must win over live ones:\n%s", out)
	}
}

// TestConfigFileWins: --config replaces a configuration found among the
// inputs instead of conflicting with it.
func TestConfigFileWins(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cp.yaml")
	if err := os.WriteFile(cfg, []byte("apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata: {name: flag}\nspec: {dataplaneImage: example.com/dp:flag}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(Options{Paths: []string{"../../docs/examples"}, ConfigFile: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Config.DataplaneImage != "example.com/dp:flag" {
		t.Errorf("config %q, findings %v", res.Config.DataplaneImage, res.Findings)
	}
}
