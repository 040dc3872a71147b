package cli

import "sigs.k8s.io/kustomize/kyaml/yaml"

// liveContext is what the cluster tells the expansion: Namespaces (for mesh
// resolution) and MeshGateways (for matching) that the directory lacks.
type liveContext struct {
	Namespaces []*yaml.RNode
	Gateways   []*yaml.RNode
}
