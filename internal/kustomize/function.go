package kustomize

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const functionAnnotation = "config.kubernetes.io/function"

// isOurFunction reports a config of kubectl-mgi's KRM function: a
// ControlPlaneConfig, or any object whose function annotation runs
// kubectl-mgi (an exec path or a container image that names it).
func isOurFunction(n *yaml.RNode) bool {
	if config.IsConfig(n) {
		return true
	}
	return strings.Contains(n.GetAnnotations()[functionAnnotation], "kubectl-mgi")
}

// functionEntry is one entry of transformers:, generators: or validators:
// that holds kubectl-mgi's function.
type functionEntry struct {
	field  string // transformers, generators or validators
	index  int
	config *yaml.RNode
}

// findFunctions looks through the plugin lists of the kustomization at
// kfile for kubectl-mgi's function. Entries are file paths (relative to
// the kustomization) or inline objects. A file that holds the function's
// config and something else cannot be taken out of the build alone.
func findFunctions(kfile string, k *yaml.RNode) ([]functionEntry, error) {
	dir := filepath.Dir(kfile)
	var out []functionEntry
	for _, field := range []string{"transformers", "generators", "validators"} {
		list := k.Field(field)
		if list == nil || list.Value.YNode().Kind != yaml.SequenceNode {
			continue
		}
		for i, item := range list.Value.Content() {
			docs, file, err := entryObjects(dir, item)
			if err != nil {
				return nil, fmt.Errorf("%s: %s[%d]: %w", kfile, field, i, err)
			}
			var ours []*yaml.RNode
			for _, d := range docs {
				if isOurFunction(d) {
					ours = append(ours, d)
				}
			}
			if len(ours) == 0 {
				continue
			}
			if len(docs) > 1 {
				return nil, fmt.Errorf("%s: %s[%d] (%s) holds kubectl-mgi's function config and %d other objects; -k takes the function out of the build and expands afterwards, so give its config a file of its own", kfile, field, i, file, len(docs)-1)
			}
			if file != "" {
				setPosition(ours[0], file)
			}
			out = append(out, functionEntry{field: field, index: i, config: ours[0]})
		}
	}
	return out, nil
}

// entryObjects reads a plugin entry: a path to a file, or inline YAML.
func entryObjects(dir string, item *yaml.Node) ([]*yaml.RNode, string, error) {
	var text []byte
	file := ""
	switch {
	case item.Kind == yaml.ScalarNode && !strings.Contains(item.Value, "\n"):
		file = filepath.Join(dir, item.Value)
		info, err := os.Stat(file)
		if err != nil || info.IsDir() {
			// A directory or a remote target: kustomize reads it; it cannot
			// be one of our configs alone.
			return nil, "", nil
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, "", err
		}
		text = b
	case item.Kind == yaml.ScalarNode:
		text = []byte(item.Value)
	default:
		s, err := yaml.NewRNode(item).String()
		if err != nil {
			return nil, "", err
		}
		text = []byte(s)
	}
	docs, err := (&kio.ByteReader{Reader: bytes.NewReader(text), OmitReaderAnnotations: true}).Read()
	if err != nil {
		return nil, "", err
	}
	return docs, file, nil
}

// setPosition gives a config read from its own file the reader's
// annotations and the file's line numbers, so that findings about it name
// file:line as they do for --config.
func setPosition(n *yaml.RNode, file string) {
	b, err := os.ReadFile(file)
	if err != nil {
		return
	}
	read, _ := source.ReadBytes(b, filepath.ToSlash(filepath.Clean(file)))
	for _, r := range read {
		if source.Ref(r) == source.Ref(n) {
			*n = *r
			return
		}
	}
}
