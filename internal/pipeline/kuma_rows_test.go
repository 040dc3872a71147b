package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// specRelease is one column of the table in docs/kuma-versions.md (the
// project's spec kuma-versions.md), written out here by hand from the spec
// and Kuma's source, not derived from kuma.Releases: the test holds the
// profiles to the spec through the golden files.
type specRelease struct {
	serviceTag     string // required, optional, forbidden (row 1)
	namespaceLabel bool   // row 2
	meshAnnotation bool   // row 3: annotation (else label)
	emptyPort      bool   // row 4
	probeProxyEnv  bool   // row 5
	dnsProxy       bool   // row 6
	cpuLimit       bool   // row 7
	concurrency    bool   // row 8
	readinessPort  bool   // rows 9, 10
	hostIP         bool   // row 11
}

var specTable = map[string]specRelease{
	"2.7":  {"required", false, true, true, false, false, true, true, false, false},
	"2.8":  {"optional", true, true, false, false, false, true, true, false, false},
	"2.9":  {"forbidden", true, false, false, true, false, true, true, false, false},
	"2.10": {"forbidden", true, false, false, true, false, true, true, false, false},
	"2.11": {"forbidden", true, false, false, true, true, true, true, false, false},
	"2.12": {"forbidden", true, false, false, true, true, true, true, false, false},
	"2.13": {"forbidden", true, false, false, true, true, true, true, false, false},
	"2.14": {"forbidden", true, false, false, true, true, false, false, true, true},
}

// TestGoldenCoversEverySpecRowForEverySupportedRelease fails when a supported
// release has no spec column here, or no golden files of the three release
// cases, or when a golden file shows something else than the spec says.
func TestGoldenCoversEverySpecRowForEverySupportedRelease(t *testing.T) {
	for _, line := range kuma.Lines() {
		t.Run(line, func(t *testing.T) {
			spec, ok := specTable[line]
			if !ok {
				t.Fatalf("Kuma %s is supported but has no column in specTable: add what the spec says it builds", line)
			}
			rows := releaseCase(t, "kuma-release-rows", line)
			tagged := releaseCase(t, "kuma-release-rows-service-tag", line)
			settings := releaseCase(t, "kuma-release-settings", line)

			// Row 1: admission of spec.tags["kuma.io/service"].
			untaggedOK, taggedOK := !rows.hasErrors(), !tagged.hasErrors()
			switch spec.serviceTag {
			case "required":
				must(t, 1, !untaggedOK && strings.Contains(rows.findings, `mandatory tag "kuma.io/service" is missing`) && taggedOK, "without the tag refused, with it accepted")
			case "optional":
				must(t, 1, untaggedOK && taggedOK && strings.Contains(tagged.yaml, `"kuma.io/service":"plain-svc"`), "both accepted, the given tag used in kuma.io/tags")
			case "forbidden":
				must(t, 1, untaggedOK && !taggedOK && strings.Contains(tagged.findings, "[ReservedTag]"), "with the tag refused")
			}
			// The other rows read the case that this release accepts.
			acc := rows
			if spec.serviceTag == "required" {
				acc = tagged
			}
			plain, tuned := acc.deployment(t, "plain"), acc.deployment(t, "tuned")
			// Row 2: the Namespace label says prod; ignored means default.
			wantMesh := "default"
			if spec.namespaceLabel {
				wantMesh = "prod"
			}
			must(t, 2, env(plain, "KUMA_DATAPLANE_MESH") == wantMesh, "mesh "+wantMesh)
			// Row 3.
			ann, lab := plain.Spec.Template.Annotations["kuma.io/mesh"], plain.Spec.Template.Labels["kuma.io/mesh"]
			if spec.meshAnnotation {
				must(t, 3, ann == wantMesh && lab == "", "mesh as annotation, no label")
			} else {
				must(t, 3, lab == wantMesh && ann == "", "mesh as label, no annotation")
			}
			// Rows 4, 5, 6, 11.
			must(t, 4, hasEnv(plain, "KUMA_DNS_CORE_DNS_EMPTY_PORT") == spec.emptyPort && (!spec.emptyPort || env(plain, "KUMA_DNS_CORE_DNS_EMPTY_PORT") == "15054"), "KUMA_DNS_CORE_DNS_EMPTY_PORT")
			must(t, 5, hasEnv(plain, "KUMA_APPLICATION_PROBE_PROXY_PORT") == spec.probeProxyEnv && (!spec.probeProxyEnv || env(plain, "KUMA_APPLICATION_PROBE_PROXY_PORT") == "0"), "KUMA_APPLICATION_PROBE_PROXY_PORT")
			coreDNS := hasEnv(plain, "KUMA_DNS_CORE_DNS_PORT") && hasEnv(plain, "KUMA_DNS_ENVOY_DNS_PORT") && hasEnv(plain, "KUMA_DNS_CORE_DNS_BINARY_PATH")
			must(t, 6, (env(plain, "KUMA_DNS_PROXY_PORT") == "15053") == spec.dnsProxy && coreDNS == !spec.dnsProxy && hasEnv(plain, "KUMA_DNS_ENABLED") && hasEnv(plain, "KUMA_DNS_ENABLE_LOGGING"), "DNS variables")
			host := findEnv(plain, "HOST_IP")
			must(t, 11, (host != nil && host.ValueFrom != nil && host.ValueFrom.FieldRef.FieldPath == "status.hostIP") == spec.hostIP && !hasEnv(plain, "KUMA_DATAPLANE_RUNTIME_OTEL_PIPE_ENABLED"), "HOST_IP")
			// Rows 7, 8.
			_, cpu := plain.Spec.Template.Spec.Containers[0].Resources.Limits[corev1.ResourceCPU]
			must(t, 7, cpu == spec.cpuLimit, "default CPU limit")
			must(t, 8, slices.Contains(args(plain), "--concurrency=2") == spec.concurrency && !slices.ContainsFunc(args(plain), func(a string) bool { return strings.HasPrefix(a, "--concurrency") && a != "--concurrency=2" }), "--concurrency without the annotation")
			must(t, 8, slices.Contains(args(tuned), "--concurrency=4"), "--concurrency from the annotation")
			// Rows 9, 10: tuned says kuma.io/envoy-admin-port 9911.
			wantPort := int32(9911)
			if spec.readinessPort {
				wantPort = 9902
			}
			c := tuned.Spec.Template.Spec.Containers[0]
			must(t, 9, c.LivenessProbe.HTTPGet.Port.IntVal == wantPort && c.ReadinessProbe.HTTPGet.Port.IntVal == wantPort, "probe port")
			must(t, 10, c.Lifecycle != nil && slices.Contains(c.Lifecycle.PostStart.Exec.Command, "http://localhost:"+itoa(wantPort)+"/ready"), "wait-for-dataplane URL")

			// The control-plane switches turned off (where the release has them).
			if spec.serviceTag == "required" {
				must(t, 0, settings.hasErrors(), "settings case refused on 2.7 (no kuma.io/service tag)")
				return
			}
			off := settings.deployment(t, "switches-off")
			oc := off.Spec.Template.Spec.Containers[0]
			must(t, 6, hasEnv(off, "KUMA_DNS_CORE_DNS_PORT") && !hasEnv(off, "KUMA_DNS_PROXY_PORT"), "proxy off brings the CoreDNS variables back")
			must(t, 9, oc.ReadinessProbe.HTTPGet.Port.IntVal == 9911, "admin socket off: the admin port")
			must(t, 11, !hasEnv(off, "HOST_IP") && (env(off, "KUMA_DATAPLANE_RUNTIME_OTEL_PIPE_ENABLED") == "false") == spec.hostIP, "OTel pipe off")
		})
	}
}

func must(t *testing.T, row int, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Errorf("row %d of the spec table (%s) is not what the golden files show", row, what)
	}
}

type goldenOutput struct{ yaml, findings string }

func releaseCase(t *testing.T, name, line string) goldenOutput {
	t.Helper()
	dir := filepath.Join(goldenRoot, name)
	var g goldenOutput
	for _, f := range []struct {
		base, ext string
		into      *string
	}{{"expected", ".yaml", &g.yaml}, {"findings", ".txt", &g.findings}} {
		b, err := os.ReadFile(goldenFile(dir, f.base, f.ext, line))
		if err != nil {
			t.Fatalf("no golden coverage of Kuma %s: %v (add %s to %s/versions and run make golden)", line, err, line, dir)
		}
		*f.into = string(b)
	}
	return g
}

func (g goldenOutput) hasErrors() bool {
	return strings.Contains(g.findings, "] error: ") || strings.Contains(g.findings, ": error: ")
}

func (g goldenOutput) deployment(t *testing.T, name string) *appsv1.Deployment {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: strings.NewReader(g.yaml), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if n.GetKind() == "Deployment" && n.GetName() == name {
			b, err := n.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var d appsv1.Deployment
			if err := json.Unmarshal(b, &d); err != nil {
				t.Fatal(err)
			}
			return &d
		}
	}
	t.Fatalf("no Deployment %s in the golden output", name)
	return nil
}

func findEnv(d *appsv1.Deployment, name string) *corev1.EnvVar {
	for i, e := range d.Spec.Template.Spec.Containers[0].Env {
		if e.Name == name {
			return &d.Spec.Template.Spec.Containers[0].Env[i]
		}
	}
	return nil
}

func hasEnv(d *appsv1.Deployment, name string) bool { return findEnv(d, name) != nil }

func env(d *appsv1.Deployment, name string) string {
	if e := findEnv(d, name); e != nil {
		return e.Value
	}
	return ""
}

func args(d *appsv1.Deployment) []string { return d.Spec.Template.Spec.Containers[0].Args }

func itoa(n int32) string { return strconv.Itoa(int(n)) }
