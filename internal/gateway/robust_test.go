package gateway

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
)

var hostile = []string{
	"spec: 5",
	"spec:\n  tags: [1]",
	"spec: null\nmetadata: null",
	"metadata: [a]\nspec: {replicas: 99999999999999999999999999}",
	"spec: {resources: {limits: [1]}, podTemplate: {spec: 3}}",
	"spec: {serviceTemplate: {metadata: {labels: {a: null}}}}",
	"spec: {podTemplate: {spec: {securityContext: {fsGroup: 1e400}}}}",
	"spec: &a {tags: *a}",
	"? [a]\n: b\nspec: {}",
	"mesh: [x]\nspec: {conf: {listeners: [null, 5, {port: -1}, {port: 99999999999}]}}",
	"spec: {selectors: {match: 1}, conf: {listeners: [{tls: {certificates: [7, null]}}]}}",
	"metadata: {creationTimestamp: [1]}\nspec: {conf: {listeners: [{port: 80, resources: 3}]}}",
	"- just\n- a list",
	"plain scalar",
	"",
}

// exercise runs every exported entry point on one document.
func exercise(t *testing.T, doc string) {
	rn, err := yaml.Parse(doc)
	if err != nil {
		return
	}
	inst, _ := DecodeInstance(rn)
	gw, _ := DecodeGateway(rn)
	_ = DecodeNamespace(rn)
	ValidateInstance(inst, kuma.Default())
	ValidateGateway(gw)
	mesh, _ := ResolveMesh(inst, map[string]Namespace{"": DecodeNamespace(rn)}, kuma.Default())
	matched, _ := MatchGateway(inst, mesh, []*Gateway{gw, nil})
	if matched == nil {
		matched = gw
	}
	d, s, _ := Expand(inst, matched, mesh, config.Config{})
	if d != nil {
		if _, err := codec.Encode(d); err != nil {
			t.Errorf("encode deployment: %v", err)
		}
	}
	if s != nil {
		if _, err := codec.Encode(s); err != nil {
			t.Errorf("encode service: %v", err)
		}
	}
}

func TestHostileInputsDoNotPanic(t *testing.T) {
	for _, doc := range hostile {
		t.Run(doc, func(t *testing.T) { exercise(t, doc) })
	}
	// nil everywhere
	DecodeInstance(nil)
	DecodeGateway(nil)
	DecodeNamespace(nil)
	ValidateInstance(nil, kuma.Default())
	ValidateGateway(nil)
	ResolveMesh(nil, nil, kuma.Default())
	MatchGateway(nil, "", nil)
	Expand(nil, nil, "", config.Config{})
	if _, err := codec.Encode(nil); err == nil {
		t.Error("codec.Encode(nil) must fail")
	}
}

func TestNullAndBadValuesAreReported(t *testing.T) {
	_, fs := DecodeInstance(parse(t, "spec: {serviceTemplate: {metadata: {labels: {a: null}}}}\n"))
	if len(fs) != 1 || fs[0].Rule != InvalidType || fs[0].Field != "spec.serviceTemplate.metadata.labels.a" {
		t.Fatalf("got %s", dump(fs))
	}
}

func FuzzDecodeExpand(f *testing.F) {
	for _, doc := range hostile {
		f.Add(doc)
	}
	f.Fuzz(exercise)
}

func TestEncodeDropsNoise(t *testing.T) {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "x"}}
	got := toYAML(t, d)
	want := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "svc"}, Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 30000}}}}
	got = toYAML(t, s)
	want = "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n  - port: 30000\n    targetPort: 0\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEncodeNeedsAKind(t *testing.T) {
	if _, err := codec.Encode(&corev1.ConfigMap{}); err == nil {
		t.Fatal("want an error for an object without TypeMeta")
	}
	rn, err := codec.Encode(&corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, Data: map[string]string{"a": ""}})
	if err != nil || rn.GetKind() != "ConfigMap" {
		t.Fatalf("got %v %v", rn, err)
	}
}
