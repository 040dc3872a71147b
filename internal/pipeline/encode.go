package pipeline

import (
	"fmt"

	"github.com/kubectl-mgi/kubectl-mgi/internal/gateway"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func encode(obj any) (*yaml.RNode, error) {
	ro, ok := obj.(runtime.Object)
	if !ok {
		return nil, fmt.Errorf("%T is not a Kubernetes object", obj)
	}
	return gateway.Encode(ro)
}
