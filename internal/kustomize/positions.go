package kustomize

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// originAnnotation is where kustomize records the file an object came from.
const originAnnotation = "config.kubernetes.io/origin"

// trace gives every built object the file, document index and line
// numbers of its source, from kustomize's origin annotation:
//   - an object read from a file (a base's or an overlay's resources:) is
//     found again in that file, by kind and by name (a name prefix or
//     suffix may have been added), and every field that is still where it
//     was gets the line it has there. A field a patch added has the line
//     of the nearest field above it; a value a patch changed keeps the
//     line of the base's value: kustomize records that a transformer ran
//     (buildMetadata: [transformerAnnotations]), not which line did it.
//   - an object a generator made (configMapGenerator, ...) gets the
//     kustomization that configured it, without a line.
//   - an object from a remote base gets repo and path, without a line.
func (b *Build) trace() error {
	files := map[string][]*yaml.RNode{}
	used := map[*yaml.RNode]bool{}
	for _, n := range b.Objects {
		origin, err := originOf(n)
		if err != nil {
			return fmt.Errorf("%s: reading kustomize's origin annotation: %w", source.Ref(n), err)
		}
		if !b.keepOrigin {
			if err := n.PipeE(yaml.ClearAnnotation(originAnnotation)); err != nil {
				return err
			}
			if err := yaml.ClearEmptyAnnotations(n); err != nil {
				return err
			}
		}
		clearLines(n.YNode())
		file, index := "", 0
		switch {
		case origin == nil:
		case origin.Repo != "":
			file = origin.Repo + "//" + origin.Path
		case origin.Path != "":
			file = b.display(origin.Path)
			if _, ok := files[file]; !ok {
				files[file] = readSource(filepath.Join(b.Dir, origin.Path), file)
			}
			if src := match(n, files[file], used); src != nil {
				used[src] = true
				copyLines(n.YNode(), src.YNode(), 0, 0)
				_, index = pathIndex(src)
			}
		case origin.ConfiguredIn != "":
			file = b.display(origin.ConfiguredIn)
		}
		if file != "" {
			if err := annotate(n, file, index); err != nil {
				return err
			}
		}
	}
	return nil
}

// display is a path relative to the kustomization as a person names it:
// under -k's directory.
func (b *Build) display(rel string) string {
	return filepath.ToSlash(filepath.Clean(filepath.Join(b.Dir, rel)))
}

func originOf(n *yaml.RNode) (*resource.Origin, error) {
	v := n.GetAnnotations()[originAnnotation]
	if v == "" {
		return nil, nil
	}
	var o resource.Origin
	if err := yaml.Unmarshal([]byte(v), &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// readSource reads a file kustomize read, as the plain reader does (its
// findings are kustomize's to report: the build succeeded).
func readSource(path, display string) []*yaml.RNode {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	nodes, _ := source.ReadBytes(b, display)
	return nodes
}

// match finds the source of a built object among its file's objects: the
// first unused one of the same kind whose name the built name contains
// (kustomize adds prefixes and suffixes), else the first unused one of the
// same kind.
func match(n *yaml.RNode, candidates []*yaml.RNode, used map[*yaml.RNode]bool) *yaml.RNode {
	kind, name := n.GetKind(), n.GetName()
	var sameKind *yaml.RNode
	for _, c := range candidates {
		if used[c] || c.GetKind() != kind {
			continue
		}
		if c.GetName() != "" && strings.Contains(name, c.GetName()) {
			return c
		}
		if sameKind == nil {
			sameKind = c
		}
	}
	return sameKind
}

func clearLines(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearLines(c)
	}
}

// copyLines gives each node of built the line of the node at the same
// path in src; a node src lacks gets its parent's.
func copyLines(built, src *yaml.Node, line, col int) {
	if src != nil {
		line, col = src.Line, src.Column
	}
	built.Line, built.Column = line, col
	switch built.Kind {
	case yaml.DocumentNode:
		for i, c := range built.Content {
			copyLines(c, childAt(src, i), line, col)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(built.Content); i += 2 {
			k, v := built.Content[i], built.Content[i+1]
			sk, sv := source.Step(src, k.Value)
			copyLines(k, sk, line, col)
			pl, pc := line, col
			if sk != nil {
				pl, pc = sk.Line, sk.Column
			}
			copyLines(v, sv, pl, pc)
		}
	case yaml.SequenceNode:
		for i, c := range built.Content {
			copyLines(c, childAt(src, i), line, col)
		}
	}
}

func childAt(n *yaml.Node, i int) *yaml.Node {
	if n == nil || n.Kind == yaml.MappingNode || i >= len(n.Content) {
		return nil
	}
	return n.Content[i]
}

func pathIndex(n *yaml.RNode) (string, int) {
	a := n.GetAnnotations()
	i, _ := strconv.Atoi(a[kioutil.IndexAnnotation])
	return a[kioutil.PathAnnotation], i
}

// annotate sets the reader's annotations, as source.Reader does for files
// it reads itself.
func annotate(n *yaml.RNode, file string, index int) error {
	if err := n.PipeE(yaml.SetAnnotation(kioutil.PathAnnotation, file)); err != nil {
		return err
	}
	return n.PipeE(yaml.SetAnnotation(kioutil.IndexAnnotation, strconv.Itoa(index)))
}
