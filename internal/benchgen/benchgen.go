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

// Instance is what varies between the generated instances; everything else
// (service type, tags, protocol) is the same for all of them.
type Instance struct {
	Name      string
	Namespace string
	Replicas  int
	Port      int // the one HTTP listener of the instance's MeshGateway
}

// At returns the i-th generated instance. Write and WriteHelmValues both
// read it, so the helm chart of hack/bench is fed the very same instances.
func At(i int) Instance {
	return Instance{
		Name:      fmt.Sprintf("gw-%05d", i),
		Namespace: fmt.Sprintf("team-%03d", i%100),
		Replicas:  i%3 + 1,
		Port:      8000 + i%1000,
	}
}

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
			in := At(i)
			fmt.Fprintf(w, instance, in.Name, in.Namespace, in.Replicas)
			fmt.Fprintf(w, meshGateway, in.Name, in.Name, in.Namespace, in.Port)
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
