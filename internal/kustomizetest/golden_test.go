package kustomizetest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const goldenRoot = repoRoot + "/testdata/golden"

// TestGoldenCasesThroughKustomize builds every golden case that renders
// without errors as a kustomization with the function as a transformer,
// and compares the result with `kubectl mgi render` of the same input.
func TestGoldenCasesThroughKustomize(t *testing.T) {
	throughKustomize(t, goldenRoot)
}

func throughKustomize(t *testing.T, root string) {
	cases, _ := filepath.Glob(filepath.Join(root, "*", "input"))
	if len(cases) == 0 {
		t.Logf("no golden cases under %s yet", root)
	}
	for _, input := range cases {
		name := filepath.Base(filepath.Dir(input))
		t.Run(name, func(t *testing.T) {
			ns := caseNamespace(filepath.Dir(input))
			want, _, err := renderMaybe(t, "-n", ns, input)
			if err != nil {
				t.Skipf("render reports errors for this case; kustomize would stop on the same error results")
			}
			dir := kustomization(t, input, ns)
			sameObjects(t, name, kustomizeBuild(t, dir), want)
		})
	}
}

func caseNamespace(dir string) string {
	if b, err := os.ReadFile(filepath.Join(dir, "namespace")); err == nil {
		return strings.TrimSpace(string(b))
	}
	return "default"
}

// kustomization lays a golden input out as a kustomization in a temporary
// directory: the input's files under input/ as resources, and the function
// as a transformer. A ControlPlaneConfig among the inputs becomes the
// transformer's config (the functionConfig wins over one among the items,
// so leaving it there would change the configuration).
func kustomization(t *testing.T, input, ns string) string {
	t.Helper()
	tmp := t.TempDir()
	// Other files (a CA certificate, say) come along too.
	copyTree(t, input, filepath.Join(tmp, "input"))
	var resources []string
	var cfg *yaml.RNode
	for _, f := range yamlFiles(t, input) {
		rel, _ := filepath.Rel(input, f)
		target := filepath.Join(tmp, "input", rel)
		var keep []*yaml.RNode
		for _, n := range readDocs(t, f) {
			if n.GetApiVersion() == "kubectl-mgi.kuma.io/v1alpha1" && n.GetKind() == "ControlPlaneConfig" && cfg == nil {
				cfg = n
				rebaseCACertFile(t, cfg, filepath.Join("input", filepath.Dir(rel)))
				continue
			}
			keep = append(keep, n)
		}
		if err := os.Remove(target); err != nil {
			t.Fatal(err)
		}
		if len(keep) == 0 {
			continue
		}
		writeDocs(t, target, keep)
		resources = append(resources, filepath.ToSlash(filepath.Join("input", rel)))
	}
	if cfg == nil {
		cfg = yaml.MustParse("apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata:\n  name: kuma\n")
	}
	fn := fmt.Sprintf("exec:\n  path: %s\n  args: [fn, -n, %s]\n", mgiBinary(t), ns)
	if err := cfg.PipeE(yaml.SetAnnotation("config.kubernetes.io/function", fn)); err != nil {
		t.Fatal(err)
	}
	writeDocs(t, filepath.Join(tmp, "mgi.yaml"), []*yaml.RNode{cfg})
	k := "resources:\n"
	for _, r := range resources {
		k += "  - " + r + "\n"
	}
	k += "transformers:\n  - mgi.yaml\n"
	if err := os.WriteFile(filepath.Join(tmp, "kustomization.yaml"), []byte(k), 0o644); err != nil {
		t.Fatal(err)
	}
	return tmp
}

// yamlFiles lists the files render reads from dir: .yaml and .yml,
// recursively, hidden ones skipped, in lexical order.
func yamlFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		ext := strings.ToLower(filepath.Ext(p))
		// render skips kustomizations (KustomizationSkipped); so does this.
		kust := d.Name() == "kustomization.yaml" || d.Name() == "kustomization.yml"
		if !d.IsDir() && !kust && (ext == ".yaml" || ext == ".yml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func readDocs(t *testing.T, path string) []*yaml.RNode {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(b), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nodes
}

func writeDocs(t *testing.T, path string, nodes []*yaml.RNode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := (kio.ByteWriter{Writer: &buf}).Write(nodes); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// rebaseCACertFile keeps a relative caCertFile pointing at the same file:
// render reads it relative to the config's file, the function relative to
// the kustomization, where the config now is.
func rebaseCACertFile(t *testing.T, cfg *yaml.RNode, dir string) {
	t.Helper()
	f, err := cfg.Pipe(yaml.Lookup("spec", "caCertFile"))
	if err != nil || f == nil || filepath.IsAbs(f.YNode().Value) {
		return
	}
	f.YNode().Value = filepath.ToSlash(filepath.Join(dir, f.YNode().Value))
}
