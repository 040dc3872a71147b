package pipeline

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const (
	kumaAPIVersion = "kuma.io/v1alpha1"
	kindInstance   = "MeshGatewayInstance"
	kindGateway    = "MeshGateway"
	// localConfigAnnotation marks objects that feed the tools but are never
	// sent to a cluster (the KRM convention kustomize and kpt follow).
	localConfigAnnotation = "config.kubernetes.io/local-config"
)

func isInstance(n *yaml.RNode) bool {
	av, kind := source.TypeOf(n)
	return av == kumaAPIVersion && kind == kindInstance
}

func isNamespace(n *yaml.RNode) bool {
	av, kind := source.TypeOf(n)
	return av == "v1" && kind == "Namespace"
}

// isLocalConfig reports objects that are inputs of the tool, not objects for
// the cluster: instances, the tool's configuration, anything annotated
// local-config, and kustomizations that happen to live in the directory.
func isLocalConfig(n *yaml.RNode) bool {
	av, kind := source.TypeOf(n)
	return localConfig(n, av, kind)
}

// localConfig is isLocalConfig for an object whose apiVersion and kind
// are known.
func localConfig(n *yaml.RNode, av, kind string) bool {
	switch {
	case av == kumaAPIVersion && kind == kindInstance, av == config.APIVersion && kind == config.Kind:
		return true
	case av == "kustomize.config.k8s.io/v1beta1", av == "kustomize.config.k8s.io/v1alpha1":
		return true
	}
	v, _ := source.Annotation(n, localConfigAnnotation)
	return v == "true"
}
