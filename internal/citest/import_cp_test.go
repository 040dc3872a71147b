package citest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// kumaCPSource is a Kuma 2.13 control plane's gateway settings as a
// ControlPlaneConfig: what the kuma-cp Deployment of kumaCPObjects states.
const kumaCPSource = `apiVersion: kubectl-mgi.kuma.io/v1alpha1
kind: ControlPlaneConfig
metadata: {name: kuma}
spec:
  kumaVersion: 2.13.0
  dataplaneImage: docker.io/kumahq/kuma-dp:2.13.0
  controlPlaneURL: https://kuma-control-plane.@CPNS@:5678
  caCert: |
    -----BEGIN CERTIFICATE-----
    MIIBfake
    -----END CERTIFICATE-----
  drainTime: 45s
  envVars: {EXTRA_FLAG: "on"}
  dns: {coreDNSPort: 16053, envoyDNSPort: 16055}
  resources:
    requests: {cpu: 50m, memory: 64Mi, ephemeral-storage: 50M}
    limits: {cpu: "2", memory: 1Gi, ephemeral-storage: 1G}
---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
  namespace: @NS@
spec:
  replicas: 1
  serviceType: ClusterIP
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: @NS@
spec:
  selectors:
  - match:
      kuma.io/service: edge_@NS@_svc
  conf:
    listeners:
    - port: 80
      protocol: HTTP
`

// kumaCPObjects is a kuma-cp Deployment as Kuma's Helm chart (2.13,
// deployments/charts/kuma/templates/cp-deployment.yaml and _helpers.tpl)
// lays it out: settings as KUMA_* variables, a config file from the
// kuma-control-plane-config ConfigMap, the CA certificate from the
// kuma-tls-cert Secret mounted with subPath.
const kumaCPObjects = `apiVersion: v1
kind: ConfigMap
metadata: {name: kuma-control-plane-config, namespace: @CPNS@}
data:
  config.yaml: |
    # use this file to override default configuration of kuma-cp
    runtime:
      kubernetes:
        injector:
          sidecarContainer:
            drainTime: 45s
          builtinDNS:
            port: 16053
---
apiVersion: v1
kind: Secret
metadata: {name: kuma-tls-cert, namespace: @CPNS@}
stringData:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBfake
    -----END CERTIFICATE-----
  tls.crt: cert
  tls.key: key
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: kuma-control-plane, namespace: @CPNS@}
spec:
  selector: {matchLabels: {app: kuma-control-plane}}
  template:
    metadata: {labels: {app: kuma-control-plane}}
    spec:
      containers:
      - name: control-plane
        image: docker.io/kumahq/kuma-cp:2.13.0
        args: [run, --log-level=info, --log-output-path=, --config-file=/etc/kuma.io/kuma-control-plane/config.yaml]
        env:
        - {name: KUMA_ENVIRONMENT, value: kubernetes}
        - {name: KUMA_STORE_KUBERNETES_SYSTEM_NAMESPACE, value: @CPNS@}
        - {name: KUMA_RUNTIME_KUBERNETES_CONTROL_PLANE_SERVICE_NAME, value: kuma-control-plane}
        - {name: KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_IMAGE, value: docker.io/kumahq/kuma-dp:2.13.0}
        - {name: KUMA_RUNTIME_KUBERNETES_INJECTOR_CA_CERT_FILE, value: /var/run/secrets/kuma.io/tls-cert/ca.crt}
        - {name: KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_CPU, value: "2"}
        - {name: KUMA_INJECTOR_SIDECAR_CONTAINER_RESOURCES_LIMITS_MEMORY, value: 1Gi}
        - {name: KUMA_RUNTIME_KUBERNETES_INJECTOR_SIDECAR_CONTAINER_ENV_VARS, value: "EXTRA_FLAG:on"}
        - name: GOMEMLIMIT
          valueFrom: {resourceFieldRef: {containerName: control-plane, resource: limits.memory}}
        volumeMounts:
        - {name: general-tls-cert, mountPath: /var/run/secrets/kuma.io/tls-cert/tls.crt, subPath: tls.crt, readOnly: true}
        - {name: general-tls-cert, mountPath: /var/run/secrets/kuma.io/tls-cert/ca.crt, subPath: ca.crt, readOnly: true}
        - {name: kuma-control-plane-config, mountPath: /etc/kuma.io/kuma-control-plane, readOnly: true}
      volumes:
      - name: general-tls-cert
        secret: {secretName: kuma-tls-cert}
      - name: kuma-control-plane-config
        configMap: {name: kuma-control-plane-config}
`

// TestImportReadsTheControlPlane: import takes the gateway settings from
// the kuma-cp Deployment itself (its image tag, variables, config file and
// mounted CA certificate), with no gateway Deployment to copy from, and
// the imported directory renders what that control plane builds. Once
// Kuma has built the gateway, import finds the control plane by the
// gateway's URL, and the plan after import is the takeover alone. The
// node-port range comes from the API server's pod.
func TestImportReadsTheControlPlane(t *testing.T) {
	ctx := context.Background()
	ns, err := env.Namespace(ctx, "import-cp")
	if err != nil {
		t.Fatal(err)
	}
	cpns, err := env.Namespace(ctx, "kuma-cp")
	if err != nil {
		t.Fatal(err)
	}
	dyn := dynamicClient(t)
	for _, u := range decodeDocs(t, strings.ReplaceAll(kumaCPObjects, "@CPNS@", cpns)) {
		gvr := depGVR
		switch u.GetKind() {
		case "ConfigMap":
			gvr = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
		case "Secret":
			gvr = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
		}
		if _, err := dyn.Resource(gvr).Namespace(cpns).Create(ctx, u, metav1.CreateOptions{}); err != nil {
			t.Fatalf("%s: %v", u.GetKind(), err)
		}
	}
	// The API server as kubeadm runs it: a static pod with the flag.
	apiserver := decodeDocs(t, `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver-import-cp
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.37.2
    command: [kube-apiserver, --service-node-port-range=20000-20999]
`)[0]
	podsGVR := schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	if _, err := dyn.Resource(podsGVR).Namespace("kube-system").Create(ctx, apiserver, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	defer dyn.Resource(podsGVR).Namespace("kube-system").Delete(ctx, apiserver.GetName(), metav1.DeleteOptions{})
	src := strings.NewReplacer("@NS@", ns, "@CPNS@", cpns).Replace(kumaCPSource)
	inst := createInstances(t, ns, src)

	// No gateway Deployment yet: everything comes from the control plane.
	dir := filepath.Join(t.TempDir(), "first")
	_, stderr, code := mgi(t, "import", dir, "-n", ns, "--control-plane", cpns+"/kuma-control-plane", "--kubeconfig", env.KubeconfigPath)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "controlplaneconfig.yaml"))
	mustContain(t, "config file", string(cfg), "kumaVersion: 2.13.0", "dataplaneImage: docker.io/kumahq/kuma-dp:2.13.0",
		"controlPlaneURL: https://kuma-control-plane."+cpns+":5678", "MIIBfake", "drainTime: 45s", `EXTRA_FLAG: "on"`,
		"coreDNSPort: 16053", "envoyDNSPort: 16055", `cpu: "2"`, "memory: 1Gi", "nodePortRange: 20000-20999")
	mustContain(t, "import notes", stderr, "from Deployment "+cpns+"/kuma-control-plane", "the rest are Kuma's defaults")
	want := deploymentOf(t, renderSource(t, src))
	if got := deploymentOf(t, renderDir(t, dir)); !reflect.DeepEqual(got, want) {
		t.Errorf("the imported directory renders\n%v\nthe control plane builds\n%v", got, want)
	}

	// Kuma builds the gateway; import follows its URL to the control plane.
	buildAsKuma(t, ns, src, inst)
	dir = filepath.Join(t.TempDir(), "second")
	if _, stderr, code = mgi(t, "import", dir, "-n", ns, "--kubeconfig", env.KubeconfigPath); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	mustContain(t, "import notes", stderr, "from Deployment "+cpns+"/kuma-control-plane; the rest from Deployment "+ns+"/edge")
	mustNotContain(t, "import notes", stderr, "was built with another")
	out, stderr, code := mgi(t, "plan", dir, "--take-over", "-o", "json", "--kubeconfig", env.KubeconfigPath)
	if code != 0 {
		t.Fatalf("plan --take-over: exit %d\n%s", code, stderr)
	}
	checkOnlyTakeOver(t, out)
}

// deploymentOf is the pod template of the one Deployment in docs.
func deploymentOf(t *testing.T, docs string) any {
	t.Helper()
	for _, u := range decodeDocs(t, docs) {
		if u.GetKind() == "Deployment" {
			tpl, _, _ := unstructured.NestedFieldCopy(u.Object, "spec", "template")
			return tpl
		}
	}
	t.Fatalf("no Deployment in\n%s", docs)
	return nil
}

func renderDir(t *testing.T, dir string) string {
	t.Helper()
	out, stderr, code := mgi(t, "render", dir)
	if code != 0 {
		t.Fatalf("render %s: exit %d\n%s", dir, code, stderr)
	}
	return out
}
