package gateway

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"strings"
	"testing"
)

// want is one expected finding: its rule, field path and line.
type want struct {
	rule, field string
	line        int
}

// has reports whether the findings contain exactly this rule at this field
// and line.
func has(t *testing.T, doc string, got []want, w want) {
	t.Helper()
	for _, g := range got {
		if g == w {
			return
		}
	}
	t.Errorf("want %+v among findings %+v\n%s", w, got, doc)
}

func instanceFindings(t *testing.T, doc string) []want {
	t.Helper()
	inst, fs := DecodeInstance(parse(t, doc))
	fs = append(fs, ValidateInstance(inst, kuma.Default())...)
	var out []want
	for _, f := range fs {
		if f.Object.Kind != KindInstance || f.Severity != severityOf(f.Rule) || f.Message == "" {
			t.Errorf("finding not filled in: %+v", f)
		}
		out = append(out, want{f.Rule, f.Field, f.Pos.Line})
	}
	return out
}

const mgiHead = `apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
  namespace: shop
`

func TestInstanceRules(t *testing.T) {
	cases := []struct {
		name, doc string
		want      want
	}{
		{"unknown pod field", mgiHead + "spec:\n  podTemplate:\n    spec:\n      nodeSelector: {a: b}\n",
			want{UnknownField, "spec.podTemplate.spec.nodeSelector", 9}},
		{"unknown top field", mgiHead + "spec: {}\nextra: 1\n", want{UnknownField, "extra", 7}},
		{"spec not a map", mgiHead + "spec: 5\n", want{InvalidType, "spec", 6}},
		{"tags a list", mgiHead + "spec:\n  tags: [1]\n", want{InvalidType, "spec.tags", 7}},
		{"tag value a number", mgiHead + "spec:\n  tags:\n    version: 2\n", want{InvalidType, "spec.tags.version", 8}},
		{"replicas a string", mgiHead + "spec:\n  replicas: two\n", want{InvalidType, "spec.replicas", 7}},
		{"replicas huge", mgiHead + "spec:\n  replicas: 99999999999999999999999\n", want{InvalidType, "spec.replicas", 7}},
		{"replicas float", mgiHead + "spec:\n  replicas: 1.5\n", want{InvalidType, "spec.replicas", 7}},
		{"duplicate key", mgiHead + "spec:\n  replicas: 1\n  replicas: 2\n", want{DuplicateField, "spec.replicas", 8}},
		{"bad quantity", mgiHead + "spec:\n  resources:\n    limits:\n      cpu: lots\n", want{InvalidQuantity, "spec.resources.limits.cpu", 9}},
		{"no spec", mgiHead, want{EmptySpec, "", 1}},
		{"replicas zero", mgiHead + "spec:\n  replicas: 0\n", want{InvalidReplicas, "spec.replicas", 7}},
		{"service type", mgiHead + "spec:\n  serviceType: ExternalName\n", want{InvalidServiceType, "spec.serviceType", 7}},
		{"service tag", mgiHead + "spec:\n  tags:\n    kuma.io/service: x\n", want{ReservedTag, `spec.tags["kuma.io/service"]`, 8}},
		{"tag key chars", mgiHead + "spec:\n  tags:\n    \"a b\": x\n", want{InvalidTagKey, `spec.tags["a b"]`, 8}},
		{"tag value chars", mgiHead + "spec:\n  tags:\n    zone: a/b\n", want{InvalidTagValue, "spec.tags.zone", 8}},
		{"tag value empty", mgiHead + "spec:\n  tags:\n    zone: \"\"\n", want{InvalidTagValue, "spec.tags.zone", 8}},
		{"admin port", annotated("kuma.io/envoy-admin-port", "70000"), want{InvalidAnnotation, `metadata.annotations["kuma.io/envoy-admin-port"]`, 7}},
		{"drain time", annotated("kuma.io/sidecar-drain-time", "soon"), want{InvalidAnnotation, `metadata.annotations["kuma.io/sidecar-drain-time"]`, 7}},
		{"concurrency", annotated("kuma.io/sidecar-proxy-concurrency", "-1"), want{InvalidAnnotation, `metadata.annotations["kuma.io/sidecar-proxy-concurrency"]`, 7}},
		{"env vars", annotated("kuma.io/sidecar-env-vars", "A=1;B"), want{InvalidAnnotation, `metadata.annotations["kuma.io/sidecar-env-vars"]`, 7}},
		{"env vars trailing", annotated("kuma.io/sidecar-env-vars", "A=1;"), want{InvalidAnnotation, `metadata.annotations["kuma.io/sidecar-env-vars"]`, 7}},
		{"wait ready", annotated("kuma.io/wait-for-dataplane-ready", "maybe"), want{InvalidAnnotation, `metadata.annotations["kuma.io/wait-for-dataplane-ready"]`, 7}},
		{"probe port", annotated("kuma.io/application-probe-proxy-port", "x"), want{InvalidAnnotation, `metadata.annotations["kuma.io/application-probe-proxy-port"]`, 7}},
		{"log level", annotated("kuma.io/envoy-log-level", "loud"), want{UnknownLogLevel, `metadata.annotations["kuma.io/envoy-log-level"]`, 7}},
		{"component log level", annotated("kuma.io/envoy-component-log-level", "upstream=debug"), want{UnknownLogLevel, `metadata.annotations["kuma.io/envoy-component-log-level"]`, 7}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			has(t, c.doc, instanceFindings(t, c.doc), c.want)
		})
	}
}

// annotated is an otherwise valid MGI with one annotation.
func annotated(key, value string) string {
	return strings.Replace(mgiHead, "  namespace: shop\n", "  namespace: shop\n  annotations:\n    "+key+": \""+value+"\"\n", 1) + "spec: {}\n"
}

func TestValidInstanceHasNoFindings(t *testing.T) {
	doc := mgiHead + `  labels: {kuma.io/mesh: m}
  annotations:
    kuma.io/envoy-admin-port: "9902"
    kuma.io/sidecar-drain-time: 1m
    kuma.io/sidecar-env-vars: A=1;B=2
    kuma.io/sidecar-proxy-concurrency: "0"
    kuma.io/wait-for-dataplane-ready: "true"
    kuma.io/envoy-log-level: debug
    kuma.io/envoy-component-log-level: upstream:debug,connection:trace
spec:
  replicas: 2
  serviceType: NodePort
  resources:
    limits: {cpu: 2, memory: 1Gi}
    requests: {cpu: 100m}
  serviceTemplate:
    metadata: {labels: {a: b}, annotations: {c: d}}
    spec: {loadBalancerIP: 10.0.0.1}
  podTemplate:
    metadata: {labels: {e: f}, annotations: {g: h}}
    spec:
      serviceAccountName: gw
      securityContext: {fsGroup: 2000}
      container: {securityContext: {readOnlyRootFilesystem: true}}
  tags:
    zone: eu-1
    version: "2"
status:
  conditions: []
`
	if got := instanceFindings(t, doc); len(got) != 0 {
		t.Fatalf("want no findings, got %+v", got)
	}
}

func TestDecodeInstanceDefaults(t *testing.T) {
	withSpec := mustInstance(t, mgiHead+"spec: {}\n")
	if !withSpec.HasSpec || withSpec.Spec.Replicas != 1 || withSpec.Spec.ServiceType != "LoadBalancer" {
		t.Errorf("spec: {} must get CRD defaults, got %+v", withSpec.Spec)
	}
	for _, doc := range []string{mgiHead, mgiHead + "spec: null\n"} {
		inst := mustInstance(t, doc)
		if inst.HasSpec || inst.Spec.Replicas != 0 || inst.Spec.ServiceType != "" {
			t.Errorf("no spec must stay empty, got HasSpec=%v %+v", inst.HasSpec, inst.Spec)
		}
	}
	inst := mustInstance(t, mgiHead+"spec:\n  serviceType: ClusterIP\n  replicas: 3\n")
	if inst.Spec.Replicas != 3 || inst.Spec.ServiceType != "ClusterIP" || inst.Name != "edge" || inst.Namespace != "shop" {
		t.Errorf("decoded wrong values: %+v", inst)
	}
}

const gwHead = `apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata:
  name: edge
mesh: default
spec:
  selectors:
  - match:
      kuma.io/service: edge_shop_svc
`

func gatewayFindings(t *testing.T, doc string) []want {
	t.Helper()
	gw, fs := DecodeGateway(parse(t, doc))
	fs = append(fs, ValidateGateway(gw)...)
	var out []want
	for _, f := range fs {
		if f.Object.Kind != KindGateway || f.Object.Name != "edge" || f.Message == "" {
			t.Errorf("finding not filled in: %+v", f)
		}
		out = append(out, want{f.Rule, f.Field, f.Pos.Line})
	}
	return out
}

// listeners is a gateway with the given listeners block (lines from 10 on).
func listeners(block string) string {
	return gwHead + "  conf:\n    listeners:\n" + block
}

func TestGatewayRules(t *testing.T) {
	http80 := "    - port: 80\n      protocol: HTTP\n"
	cases := []struct {
		name, doc string
		want      want
	}{
		{"unknown listener field", listeners("    - port: 80\n      protocol: HTTP\n      path: /\n"), want{UnknownField, "spec.conf.listeners[0].path", 14}},
		{"no mesh", strings.Replace(listeners(http80), "mesh: default\n", "", 1), want{MissingMesh, "mesh", 1}},
		{"no selectors", strings.Replace(listeners(http80), "  selectors:\n  - match:\n      kuma.io/service: edge_shop_svc\n", "", 1), want{MissingSelectors, "spec.selectors", 7}},
		{"empty selector", strings.Replace(listeners(http80), "  - match:\n      kuma.io/service: edge_shop_svc\n", "  - match: {}\n", 1), want{EmptySelector, "spec.selectors[0].match", 8}},
		{"selector without service", strings.Replace(listeners(http80), "kuma.io/service: edge_shop_svc", "zone: a", 1), want{MissingServiceSelector, "spec.selectors[0].match", 9}},
		{"selector value", strings.Replace(listeners(http80), "edge_shop_svc", "a b", 1), want{InvalidTagValue, `spec.selectors[0].match["kuma.io/service"]`, 9}},
		{"reserved gateway tag", strings.Replace(listeners(http80), "spec:\n", "spec:\n  tags:\n    kuma.io/zone: z\n", 1), want{ReservedTag, `spec.tags["kuma.io/zone"]`, 8}},
		{"reserved listener tag", listeners(http80 + "      tags:\n        kuma.io/protocol: http\n"), want{ReservedTag, `spec.conf.listeners[0].tags["kuma.io/protocol"]`, 15}},
		{"no conf", gwHead, want{NoListeners, "spec.conf.listeners", 7}},
		{"empty listeners", listeners("      []\n"), want{NoListeners, "spec.conf.listeners", 12}},
		{"port zero", listeners("    - port: 0\n      protocol: HTTP\n"), want{InvalidPort, "spec.conf.listeners[0].port", 12}},
		{"port high", listeners("    - port: 70000\n      protocol: HTTP\n"), want{InvalidPort, "spec.conf.listeners[0].port", 12}},
		{"no protocol", listeners("    - port: 80\n"), want{MissingProtocol, "spec.conf.listeners[0].protocol", 12}},
		{"bad protocol", listeners("    - port: 80\n      protocol: UDP\n"), want{InvalidProtocol, "spec.conf.listeners[0].protocol", 13}},
		{"https no tls", listeners("    - port: 443\n      protocol: HTTPS\n"), want{HTTPSWithoutTLS, "spec.conf.listeners[0].tls", 12}},
		{"https passthrough", listeners("    - port: 443\n      protocol: HTTPS\n      tls:\n        mode: PASSTHROUGH\n"), want{TLSPassthroughOnHTTPS, "spec.conf.listeners[0].tls.mode", 15}},
		{"tls no certs", listeners("    - port: 443\n      protocol: HTTPS\n      tls:\n        mode: TERMINATE\n"), want{InvalidTLS, "spec.conf.listeners[0].tls.certificates", 15}},
		{"tls no mode", listeners("    - port: 443\n      protocol: TLS\n      tls:\n        certificates: [{secret: s}]\n"), want{InvalidTLS, "spec.conf.listeners[0].tls.mode", 15}},
		{"tls two sources", listeners("    - port: 443\n      protocol: HTTPS\n      tls:\n        mode: TERMINATE\n        certificates: [{secret: s, file: f}]\n"), want{InvalidTLS, "spec.conf.listeners[0].tls.certificates[0]", 16}},
		{"cross mesh https", listeners("    - port: 443\n      protocol: HTTPS\n      crossMesh: true\n"), want{CrossMeshConflict, "spec.conf.listeners[0].protocol", 13}},
		{"cross mesh two selectors", strings.Replace(listeners("    - port: 80\n      protocol: HTTP\n      crossMesh: true\n"), "  conf:", "  - match:\n      kuma.io/service: other\n  conf:", 1), want{TooManySelectors, "spec.selectors[1]", 10}},
		{"hostname", listeners("    - port: 80\n      protocol: HTTP\n      hostname: Foo_Bar\n"), want{InvalidHostname, "spec.conf.listeners[0].hostname", 14}},
		{"conflicting protocols", listeners(http80 + "    - port: 80\n      protocol: TCP\n      hostname: a.example.com\n"), want{ConflictingProtocols, "spec.conf.listeners[1].protocol", 15}},
		{"duplicate hostname", listeners(http80 + "    - port: 80\n      protocol: HTTP\n      hostname: \"*\"\n"), want{DuplicateHostname, "spec.conf.listeners[1].hostname", 16}},
		{"connection limits", listeners("    - port: 80\n      protocol: HTTP\n      hostname: a.com\n      resources: {connectionLimit: 1}\n    - port: 80\n      protocol: HTTP\n      resources: {connection_limit: 2}\n"), want{ConflictingConnectionLimits, "spec.conf.listeners[1].resources.connectionLimit", 18}},
		{"creation time", strings.Replace(listeners(http80), "  name: edge\n", "  name: edge\n  creationTimestamp: yesterday\n", 1), want{InvalidType, "metadata.creationTimestamp", 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			has(t, c.doc, gatewayFindings(t, c.doc), c.want)
		})
	}
}

func TestValidGatewayHasNoFindings(t *testing.T) {
	doc := listeners(`    - port: 80
      protocol: HTTP
      hostname: "*.example.com"
      tags: {route: a}
    - port: 80
      protocol: HTTP
      hostname: foo.example.com
    - port: 443
      protocol: HTTPS
      tls:
        mode: TERMINATE
        certificates: [{secret: cert}]
        options: {}
    - port: 8443
      protocol: TLS
      tls: {mode: PASSTHROUGH}
`)
	if got := gatewayFindings(t, doc); len(got) != 0 {
		t.Fatalf("want no findings, got %+v", got)
	}
	gw := mustGateway(t, strings.Replace(doc, "  name: edge\n", "  name: edge\n  creationTimestamp: \"2024-05-01T10:00:00Z\"\n", 1))
	if gw.CreationTimestamp == nil || gw.CreationTimestamp.Year() != 2024 || gw.Mesh != "default" || len(gw.Spec.Conf.Listeners) != 4 {
		t.Fatalf("decoded wrong values: %+v", gw)
	}
}
