package source

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TypeOf and Annotation read what kyaml's getters read, without
// their allocations: compared on every testdata object and on odd shapes.
func TestKindsReadAsKyamlDoes(t *testing.T) {
	var nodes []*yaml.RNode
	for _, root := range []string{"../../testdata", "../../internal"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(p, "testdata") && strings.HasSuffix(p, ".yaml") {
				data, _ := os.ReadFile(p)
				ns, _ := ReadBytes(data, p)
				nodes = append(nodes, ns...)
			}
			return nil
		})
	}
	for _, doc := range []string{
		"kind: A\nkind: B\napiVersion: v1\n",
		"metadata: {annotations: {config.kubernetes.io/local-config: 'false', config.kubernetes.io/local-config: 'true'}}\n",
		"metadata: {annotations: [config.kubernetes.io/local-config, 'true']}\n",
		"metadata: null\n", "metadata: {annotations: null}\n", "metadata: x\n", "{}\n",
		"metadata: {}\nmetadata: {annotations: {config.kubernetes.io/local-config: 'true'}}\n",
	} {
		nodes = append(nodes, yaml.MustParse(doc))
	}
	if len(nodes) < 500 {
		t.Fatalf("only %d objects", len(nodes))
	}
	for _, n := range nodes {
		av, kind := TypeOf(n)
		if av != n.GetApiVersion() || kind != n.GetKind() {
			t.Errorf("%s: TypeOf %q %q, kyaml %q %q", Position(n), av, kind, n.GetApiVersion(), n.GetKind())
		}
		for _, k := range []string{"config.kubernetes.io/local-config", "internal.config.kubernetes.io/path", "internal.config.kubernetes.io/index", "config.kubernetes.io/path", "config.kubernetes.io/index", "kuma.io/mesh"} {
			got, set := Annotation(n, k)
			if want, wantSet := n.GetAnnotations()[k]; got != want || set != wantSet {
				t.Errorf("%s: annotation %s %q %v, kyaml %q %v", Position(n), k, got, set, want, wantSet)
			}
		}
	}
}
