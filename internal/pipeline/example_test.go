package pipeline_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/pipeline"
)

// Run reads a directory (here standard input), expands every
// MeshGatewayInstance and returns the objects to apply in apply order, with
// what it found on the way. The instance itself is local config: it is
// replaced by a Service and a Deployment.
func ExampleRun() {
	manifests := `
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
spec:
  replicas: 2
---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
metadata:
  name: edge
mesh: default
spec:
  selectors:
  - match:
      kuma.io/service: edge_shop_svc
  conf:
    listeners:
    - port: 8080
      protocol: HTTP
`
	res, err := pipeline.Run(pipeline.Options{
		Paths:            []string{"-"},
		Stdin:            strings.NewReader(manifests),
		DefaultNamespace: "shop",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range res.Objects {
		fmt.Println(o.GetKind(), o.GetNamespace(), o.GetName())
	}
	_ = finding.PrintText(os.Stdout, res.Findings)
	// Output:
	// MeshGateway  edge
	// Service shop edge
	// Deployment shop edge
	// <stdin>:2:1: info: MeshGatewayInstance/edge: metadata.namespace: names no namespace, so it and its Deployment and Service go to namespace shop: every command uses -n, else the kubeconfig context's namespace, else default. Set metadata.namespace so the directory means the same wherever it runs [ImplicitNamespace]
	// No problems found.
}

// Findings carry the file, line and field to fix; render prints no objects
// when any of them is an error.
func ExampleRun_findings() {
	manifests := `apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: edge
  namespace: shop
spec:
  replicas: 0
  serviceType: Ingress
`
	res, err := pipeline.Run(pipeline.Options{Paths: []string{"-"}, Stdin: strings.NewReader(manifests)})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = finding.PrintText(os.Stdout, res.Findings)
	// Output:
	// <stdin>:7:13: error: MeshGatewayInstance/shop/edge: spec.replicas: must be at least 1, not 0; set it to 1 or more [InvalidReplicas]
	// <stdin>:8:16: error: MeshGatewayInstance/shop/edge: spec.serviceType: "Ingress" is not allowed; use LoadBalancer, ClusterIP or NodePort [InvalidServiceType]
	// 2 errors, 0 warnings.
}
