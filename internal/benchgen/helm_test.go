package benchgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/yaml"
)

// The helm values name the same instances, with the same replicas and
// listener ports, as the folder Write generates.
func TestHelmValuesListTheGeneratedInstances(t *testing.T) {
	dir := t.TempDir()
	const n = 7
	if err := Write(filepath.Join(dir, "in"), n, 3); err != nil {
		t.Fatal(err)
	}
	values := filepath.Join(dir, "values.yaml")
	if err := WriteHelmValues(values, n); err != nil {
		t.Fatal(err)
	}

	type listed struct {
		Name, Namespace, ServiceType string
		Replicas                     int
		Tags                         map[string]string
		Ports                        []int
	}
	var v struct{ Instances []listed }
	b, err := os.ReadFile(values)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(b, &v); err != nil {
		t.Fatal(err)
	}

	// What the generated folder says, read back from its YAML.
	var fromFolder []listed
	ports := map[string]int{}
	files, _ := filepath.Glob(filepath.Join(dir, "in", "*.yaml"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range bytes.Split(b, []byte("---\n")) {
			var o struct {
				Kind     string
				Metadata struct{ Name, Namespace string }
				Spec     struct {
					Replicas    int
					ServiceType string `json:"serviceType"`
					Tags        map[string]string
					Conf        struct{ Listeners []struct{ Port int } }
				}
			}
			if err := yaml.Unmarshal(doc, &o); err != nil {
				t.Fatal(err)
			}
			switch o.Kind {
			case "MeshGatewayInstance":
				fromFolder = append(fromFolder, listed{Name: o.Metadata.Name, Namespace: o.Metadata.Namespace,
					ServiceType: o.Spec.ServiceType, Replicas: o.Spec.Replicas, Tags: o.Spec.Tags})
			case "MeshGateway":
				ports[o.Metadata.Name] = o.Spec.Conf.Listeners[0].Port
			}
		}
	}
	if len(fromFolder) != n || len(v.Instances) != n {
		t.Fatalf("%d instances in the folder, %d in the values, want %d each", len(fromFolder), len(v.Instances), n)
	}
	for i, in := range fromFolder {
		in.Ports = []int{ports[in.Name]}
		got := v.Instances[i]
		if got.Name != in.Name || got.Namespace != in.Namespace || got.Replicas != in.Replicas ||
			got.ServiceType != in.ServiceType || len(got.Tags) != 1 || got.Tags["team"] != in.Tags["team"] ||
			len(got.Ports) != 1 || got.Ports[0] != in.Ports[0] {
			t.Errorf("instance %d: values say %+v, the folder %+v", i, got, in)
		}
	}
}
