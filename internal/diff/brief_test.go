package diff

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

func TestBrief(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{apiVersion: apps/v1, kind: Deployment, spec: {replicas: 2, template: {spec: {containers: [{name: a, image: "kumahq/kuma-dp:2.13.0"}]}}}}`, "replicas 2, image kumahq/kuma-dp:2.13.0"},
		{`{apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{image: a:1}, {image: b:2}]}}}}`, "images a:1 b:2"},
		{`{apiVersion: v1, kind: Service, spec: {ports: [{port: 80}, {port: 53, protocol: UDP}]}}`, "type ClusterIP, ports 80/TCP 53/UDP"},
		// Keys only: a value never reaches the brief.
		{`{apiVersion: v1, kind: Secret, data: {token: c2VjcmV0}, stringData: {extra: hunter2}}`, "keys extra token"},
		{`{apiVersion: v1, kind: ConfigMap}`, "no data"},
		{`{apiVersion: kuma.io/v1alpha1, kind: MeshGatewayInstance, spec: {replicas: 1, serviceType: LoadBalancer, tags: {a: b}}}`, "replicas 1, serviceType LoadBalancer"},
		{`{apiVersion: v1, kind: Namespace}`, ""},
	} {
		obj := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(tc.doc), &obj); err != nil {
			t.Fatal(err)
		}
		if got := Brief(&unstructured.Unstructured{Object: obj}); got != tc.want {
			t.Errorf("Brief(%s) = %q, want %q", tc.doc, got, tc.want)
		}
	}
	if Brief(nil) != "" {
		t.Error("Brief(nil) is not empty")
	}
	long := &unstructured.Unstructured{Object: map[string]interface{}{"kind": "X", "spec": map[string]interface{}{"a": strings.Repeat("é", 200) + "\nnext"}}}
	if got := Brief(long); strings.Contains(got, "\n") || len(got) > briefMax+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("a long value is not cut to one line: %q", got)
	}
}
