// Package benchgen writes benchmark directories: N MeshGatewayInstances
// spread over 100 namespaces, each with a MeshGateway that selects it, so
// every instance expands into a Deployment and a Service. The Go benchmarks
// and hack/bench share it, so both measure the same input.
package benchgen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// Write writes n instances and their gateways into dir, perFile of each per file.
func Write(dir string, n, perFile int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for start := 0; start < n; start += perFile {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("gateways-%05d.yaml", start/perFile)))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		for i := start; i < n && i < start+perFile; i++ {
			ns := fmt.Sprintf("team-%03d", i%100)
			name := fmt.Sprintf("gw-%05d", i)
			fmt.Fprintf(w, instance, name, ns, i%3+1)
			fmt.Fprintf(w, meshGateway, name, name, ns, 8000+i%1000)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

const instance = `---
apiVersion: kuma.io/v1alpha1
kind: MeshGatewayInstance
metadata:
  name: %s
  namespace: %s
spec:
  replicas: %d
  serviceType: ClusterIP
  tags:
    team: storefront
`

const meshGateway = `---
apiVersion: kuma.io/v1alpha1
kind: MeshGateway
mesh: default
metadata:
  name: %s
spec:
  selectors:
    - match:
        kuma.io/service: %s_%s_svc
  conf:
    listeners:
      - port: %d
        protocol: HTTP
`
