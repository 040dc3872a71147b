package citest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// yaml11Values are strings that kubectl's YAML 1.1 reading would take for
// booleans, null, numbers or timestamps if render wrote them plain.
var yaml11Values = []string{"y", "yes", "on", "off", "null", "~", "0x1F", "1e3", "2024-01-01"}

// in writes v as the directory would hold it: plain where YAML 1.2 (the
// tool's reader) reads it as a string ("y", "on"), quoted where it would not.
func in(v string) string {
	switch v {
	case "null", "~", "0x1F", "1e3", "2024-01-01":
		return fmt.Sprintf("%q", v)
	}
	return v
}

// TestRenderReadsTheSameInKubectl pipes `kubectl mgi render` into the real
// `kubectl apply --dry-run=client -f - -o yaml` and checks that every name,
// label and data value comes back as the string the directory holds: for
// hand-written objects and for the Deployment and Service expanded from an
// instance named "on".
func TestRenderReadsTheSameInKubectl(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Fatalf("kubectl is not on PATH: %v", err)
	}
	dir := t.TempDir()
	var b strings.Builder
	for _, name := range []string{"y", "yes", "on", "off", "null", "1e3", "2024-01-01"} {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: yaml11\n  labels:\n", in(name))
		for i, v := range yaml11Values {
			if v != "~" { // not a valid label value
				fmt.Fprintf(&b, "    l%d: %s\n", i, in(v))
			}
		}
		b.WriteString("data:\n")
		for i, v := range yaml11Values {
			// Keys by index: "k~" is not a valid data key (the API
			// server, and the offline checks, refuse it).
			fmt.Fprintf(&b, "  k%d: %s\n", i, in(v))
		}
	}
	b.WriteString(`---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: "on"
  namespace: yaml11
spec:
  podTemplate:
    metadata:
      labels:
        flag: "yes"
        date: "2024-01-01"
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: "on"
spec:
  selectors:
  - match:
      kuma.io/service: on_yaml11_svc
  conf:
    listeners:
    - port: 80
      protocol: HTTP
`)
	if err := os.WriteFile(filepath.Join(dir, "all.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	rendered, stderr, code := mgi(t, "render", dir)
	if code != 0 {
		t.Fatalf("render: exit %d\n%s", code, stderr)
	}
	cmd := exec.Command(kubectl, "apply", "--dry-run=client", "-f", "-", "-o", "yaml", "--kubeconfig", env.KubeconfigPath)
	cmd.Stdin = strings.NewReader(rendered)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl apply --dry-run=client: %v\n%s\n--- rendered\n%s", err, out, rendered)
	}
	var list struct {
		Items []struct {
			Kind     string
			Metadata struct {
				Name   string
				Labels map[string]interface{}
			}
			Data map[string]interface{}
			Spec struct {
				Template struct {
					Metadata struct{ Labels map[string]interface{} }
				}
			}
		}
	}
	if err := yaml.Unmarshal(out, &list); err != nil {
		t.Fatalf("reading kubectl's output: %v\n%s", err, out)
	}
	seen := map[string]bool{}
	for _, it := range list.Items {
		seen[it.Kind+"/"+it.Metadata.Name] = true
		if it.Kind == "ConfigMap" {
			for i, v := range yaml11Values {
				if v != "~" && it.Metadata.Labels[fmt.Sprintf("l%d", i)] != v {
					t.Errorf("ConfigMap %s: label l%d = %#v, want the string %q", it.Metadata.Name, i, it.Metadata.Labels[fmt.Sprintf("l%d", i)], v)
				}
				if got := it.Data[fmt.Sprintf("k%d", i)]; got != v {
					t.Errorf("ConfigMap %s: data k%d = %#v, want the string %q", it.Metadata.Name, i, got, v)
				}
			}
		}
		if it.Kind == "Deployment" {
			if l := it.Spec.Template.Metadata.Labels; l["flag"] != "yes" || l["date"] != "2024-01-01" {
				t.Errorf("Deployment %s: pod labels %v", it.Metadata.Name, l)
			}
		}
	}
	for _, want := range []string{"ConfigMap/y", "ConfigMap/yes", "ConfigMap/on", "ConfigMap/off", "ConfigMap/null", "ConfigMap/1e3", "ConfigMap/2024-01-01", "Deployment/on", "Service/on", "MeshGateway/on"} {
		if !seen[want] {
			t.Errorf("kubectl's output lacks %s (names read as non-strings?); it has %v", want, seen)
		}
	}
}
