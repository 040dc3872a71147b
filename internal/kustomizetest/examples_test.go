package kustomizetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const examples = repoRoot + "/plugins/kustomize"

// releaseImage is the image the container example names: the one the
// release publishes (see plugins/kustomize/container/README.md).
const releaseImage = "ghcr.io/kubectl-mgi/kubectl-mgi:"

func TestExecOverlay(t *testing.T) {
	got := kustomizeBuild(t, filepath.Join(examples, "exec"))
	want := render(t, "--config", filepath.Join(examples, "exec", "mgi.yaml"), filepath.Join(examples, "base", "gateways"))
	sameObjects(t, "plugins/kustomize/exec", got, want)
	if strings.Contains(got, "MeshGatewayInstance") || strings.Contains(got, "ControlPlaneConfig") {
		t.Errorf("local config reached the output:\n%s", got)
	}
}

func TestGeneratorExample(t *testing.T) {
	got := kustomizeBuild(t, filepath.Join(examples, "generator"))
	want := render(t, "--config", filepath.Join(examples, "generator", "mgi.yaml"), filepath.Join(examples, "base", "gateways"))
	sameObjects(t, "plugins/kustomize/generator", got, want)
}

// TestContainerOverlay checks the container example without a container
// engine (none on CI machines here): its config must equal the exec
// overlay's but for the function annotation, which must name the release
// image; the overlay is then built with that annotation switched to exec,
// which runs the same binary the image holds.
func TestContainerOverlay(t *testing.T) {
	container := readConfig(t, filepath.Join(examples, "container", "mgi.yaml"))
	execCfg := readConfig(t, filepath.Join(examples, "exec", "mgi.yaml"))
	fn := container.GetAnnotations()["config.kubernetes.io/function"]
	spec, err := yaml.Parse(fn)
	if err != nil {
		t.Fatal(err)
	}
	image, _ := spec.GetString("container.image")
	if !strings.HasPrefix(image, releaseImage) || strings.HasSuffix(image, ":latest") {
		t.Errorf("container image = %q, want a pinned %s<version>", image, releaseImage)
	}
	if a, b := specOf(t, container), specOf(t, execCfg); a != b {
		t.Errorf("container and exec overlays configure the function differently:\n%s\n---\n%s", a, b)
	}

	tmp := t.TempDir()
	copyTree(t, filepath.Join(examples, "base"), filepath.Join(tmp, "base"))
	copyTree(t, filepath.Join(examples, "container"), filepath.Join(tmp, "container"))
	if err := container.PipeE(yaml.SetAnnotation("config.kubernetes.io/function", "exec:\n  path: kubectl-mgi\n  args: [fn]\n")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "container", "mgi.yaml"), []byte(container.MustString()), 0o644); err != nil {
		t.Fatal(err)
	}
	got := kustomizeBuild(t, filepath.Join(tmp, "container"))
	want := render(t, "--config", filepath.Join(examples, "container", "mgi.yaml"), filepath.Join(examples, "base", "gateways"))
	sameObjects(t, "plugins/kustomize/container (as exec)", got, want)
}

func readConfig(t *testing.T, path string) *yaml.RNode {
	t.Helper()
	n, err := yaml.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func specOf(t *testing.T, n *yaml.RNode) string {
	t.Helper()
	s, err := n.Pipe(yaml.Lookup("spec"))
	if err != nil || s == nil {
		t.Fatalf("no spec: %v", err)
	}
	return s.MustString()
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
