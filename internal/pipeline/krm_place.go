package pipeline

import (
	"fmt"
	"path"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// placeGenerated gives every object the pipeline made (one that is not
// among the inputs) a file of its own next to its instance:
// <instance's directory>/<name>.<namespace>.<kind>.yaml, index 0.
// Orchestrators that write files (kpt, kustomize's fn sink) need a path and
// index that no other object has; the instance's own would collide with
// the instance's neighbours, and the Deployment with the Service.
func placeGenerated(out, inputs []*yaml.RNode) error {
	given := make(map[*yaml.RNode]bool, len(inputs))
	for _, n := range inputs {
		given[n] = true
	}
	for _, n := range out {
		if given[n] {
			continue
		}
		p := generatedPath(source.Position(n).File, n)
		for _, a := range [][2]string{
			//lint:ignore SA1019 kyaml v0.21's own ByteReader still sets the legacy names (and ByteWriter clears them); objects carry both forms
			{kioutil.PathAnnotation, p}, {kioutil.LegacyPathAnnotation, p},
			//lint:ignore SA1019 as above
			{kioutil.IndexAnnotation, "0"}, {kioutil.LegacyIndexAnnotation, "0"},
		} {
			if err := n.PipeE(yaml.SetAnnotation(a[0], a[1])); err != nil {
				return fmt.Errorf("%s: setting the %s annotation: %w", source.Ref(n), a[0], err)
			}
		}
	}
	return nil
}

// generatedPath is where a generated object goes; from is the file of the
// instance it was made from ("" when the orchestrator gave none).
func generatedPath(from string, n *yaml.RNode) string {
	name := fmt.Sprintf("%s.%s.%s.yaml", n.GetName(), n.GetNamespace(), strings.ToLower(n.GetKind()))
	if from == "" {
		return name
	}
	return path.Join(path.Dir(from), name)
}
