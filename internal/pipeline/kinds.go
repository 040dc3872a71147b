package pipeline

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
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
	return n.GetApiVersion() == kumaAPIVersion && n.GetKind() == kindInstance
}

func isGateway(n *yaml.RNode) bool {
	return n.GetApiVersion() == kumaAPIVersion && n.GetKind() == kindGateway
}

func isNamespace(n *yaml.RNode) bool {
	return n.GetApiVersion() == "v1" && n.GetKind() == "Namespace"
}

// isLocalConfig reports objects that are inputs of the tool, not objects for
// the cluster: instances, the tool's configuration, anything annotated
// local-config, and kustomizations that happen to live in the directory.
func isLocalConfig(n *yaml.RNode) bool {
	if isInstance(n) || config.IsConfig(n) {
		return true
	}
	if n.GetAnnotations()[localConfigAnnotation] == "true" {
		return true
	}
	return n.GetApiVersion() == "kustomize.config.k8s.io/v1beta1" || n.GetApiVersion() == "kustomize.config.k8s.io/v1alpha1"
}
