package benchgen

import (
	"bufio"
	"fmt"
	"os"
)

// WriteHelmValues writes the values file of hack/bench/helm-chart for the
// same n instances Write generates: per instance what its
// MeshGatewayInstance and MeshGateway say (name, namespace, replicas,
// service type, tags, listener ports); the chart derives the rest.
func WriteHelmValues(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "instances:")
	for i := range n {
		in := At(i)
		fmt.Fprintf(w, helmInstance, in.Name, in.Namespace, in.Replicas, in.Port)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

const helmInstance = `- name: %s
  namespace: %s
  replicas: %d
  serviceType: ClusterIP
  tags:
    team: storefront
  ports:
  - %d
`
