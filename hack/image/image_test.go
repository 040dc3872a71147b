package main

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"sigs.k8s.io/yaml"
)

// repoRoot is the project's top folder: this module lives in hack/image.
const repoRoot = "../.."

// releaseDist is the dist folder `make release-check` built (goreleaser's
// snapshot plus this program's dist/image), or the test is skipped.
func releaseDist(t *testing.T) string {
	t.Helper()
	d := os.Getenv("MGI_RELEASE_DIST")
	if d == "" {
		t.Skip("MGI_RELEASE_DIST is not set: `make release-check` builds the release into dist/ and runs this test on it")
	}
	return d
}

// The tarball of each platform is the image the index names for it: the
// empty base plus one layer holding only /kubectl-mgi, run as nobody with
// the KRM function as entrypoint, labelled with the release's version and
// commit.
func TestImageConfigPerPlatform(t *testing.T) {
	d := releaseDist(t)
	meta := metadata(t, d)
	index := imageIndex(t, d)
	im, err := index.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != len(platforms) {
		t.Fatalf("the index has %d images, want %d (%v)", len(im.Manifests), len(platforms), platforms)
	}
	for i, p := range platforms {
		t.Run(p.arch, func(t *testing.T) {
			desc := im.Manifests[i]
			if want := (v1.Platform{OS: "linux", Architecture: p.arch, Variant: p.variant}); desc.Platform == nil || !desc.Platform.Equals(want) {
				t.Errorf("index entry %d: platform %v, want %v", i, desc.Platform, want)
			}
			img := imageTarball(t, d, p.arch)
			// `docker load`'s format keeps config and layers but has its
			// own manifest: the same image is the same config and layers.
			pushed, err := index.Image(desc.Digest)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := digests(t, img), digests(t, pushed); !slices.Equal(a, b) {
				t.Errorf("linux/%s: the tarball holds config and layers %v, the index's image %v", p.arch, a, b)
			}
			cfg, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.OS != "linux" || cfg.Architecture != p.arch || cfg.Variant != p.variant {
				t.Errorf("config platform %s/%s/%s, want linux/%s/%s", cfg.OS, cfg.Architecture, cfg.Variant, p.arch, p.variant)
			}
			if got := strings.Join(cfg.Config.Entrypoint, " "); got != "/kubectl-mgi fn" {
				t.Errorf("entrypoint %q, want /kubectl-mgi fn (kustomize passes a container function no arguments)", got)
			}
			if len(cfg.Config.Cmd) != 0 || len(cfg.Config.Env) != 0 {
				t.Errorf("cmd %q, env %q: want none", cfg.Config.Cmd, cfg.Config.Env)
			}
			if cfg.Config.User != "65534:65534" {
				t.Errorf("user %q, want 65534:65534 (nobody)", cfg.Config.User)
			}
			if got, want := cfg.Config.Labels["org.opencontainers.image.version"], "v"+meta.Version; got != want {
				t.Errorf("version label %q, want %q", got, want)
			}
			if got := cfg.Config.Labels["org.opencontainers.image.revision"]; got != meta.Commit {
				t.Errorf("revision label %q, want the commit %s", got, meta.Commit)
			}
			if want := commitTime(t, meta.Commit); !cfg.Created.Time.Equal(want) {
				t.Errorf("created %s, want the commit's time %s (so a rebuild gives the same digest)", cfg.Created.Time, want)
			}
			layers, err := img.Layers()
			if err != nil || len(layers) != 1 {
				t.Fatalf("%d layers (%v), want one: an empty base plus the binary", len(layers), err)
			}
			files := filesystem(t, img)
			if len(files) != 1 || files["kubectl-mgi"] == nil {
				t.Fatalf("image filesystem %v, want only /kubectl-mgi (no shell, no base)", keys(files))
			}
			h := files["kubectl-mgi"]
			if h.Mode&0o111 == 0 || h.Uid != 0 {
				t.Errorf("/kubectl-mgi mode %o uid %d, want executable, owned by root", h.Mode, h.Uid)
			}
			bin, err := os.ReadFile(filepath.Join(d, p.dist, "kubectl-mgi"))
			if err != nil {
				t.Fatal(err)
			}
			if h.Size != int64(len(bin)) {
				t.Errorf("/kubectl-mgi is %d bytes, goreleaser's linux/%s binary %d", h.Size, p.arch, len(bin))
			}
		})
	}
}

// The binary unpacked from this machine's platform image answers version
// with the release's version and, started as the entrypoint says, expands
// a ResourceList on stdin as kustomize hands it to a container function.
func TestImageBinaryRuns(t *testing.T) {
	d := releaseDist(t)
	meta := metadata(t, d)
	img := imageTarball(t, d, hostArch(t))
	entrypoint := unpackEntrypoint(t, img)

	out, err := exec.Command(entrypoint[0], "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "v"+meta.Version) {
		t.Errorf("kubectl-mgi version inside the image: %v\n%s, want v%s", err, out, meta.Version)
	}

	cmd := exec.Command(entrypoint[0], entrypoint[1:]...)
	cmd.Stdin = strings.NewReader(resourceList(t))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("the entrypoint on a ResourceList: %v\n%s", err, stderr.String())
	}
	var list struct {
		Kind  string   `json:"kind"`
		Items []object `json:"items"`
	}
	if err := yaml.Unmarshal(got, &list); err != nil || list.Kind != "ResourceList" {
		t.Fatalf("the entrypoint did not answer with a ResourceList (%v):\n%s", err, got)
	}
	expanded(t, "the entrypoint's ResourceList", list.Items)
}

// plugins/kustomize/container, the overlay that names the released image,
// built by the real kustomize with the image's entrypoint run as the
// function (exec: no container engine here), expands the instance.
func TestImageThroughKustomize(t *testing.T) {
	d := releaseDist(t)
	kustomize := os.Getenv("KUSTOMIZE")
	if kustomize == "" {
		t.Skip("KUSTOMIZE is not set: `make release-check` passes .cache/tools/bin/kustomize")
	}
	entrypoint := unpackEntrypoint(t, imageTarball(t, d, hostArch(t)))

	work := t.TempDir()
	for _, dir := range []string{"base", "container"} {
		if err := os.CopyFS(filepath.Join(work, dir), os.DirFS(filepath.Join(repoRoot, "plugins", "kustomize", dir))); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath := filepath.Join(work, "container", "mgi.yaml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	container := regexp.MustCompile(`(?m)^( +)container:\n +image: (\S+)\n`)
	m := container.FindSubmatch(cfg)
	if m == nil {
		t.Fatalf("plugins/kustomize/container/mgi.yaml names no container image:\n%s", cfg)
	}
	if ref, err := name.ParseReference(string(m[2])); err != nil || ref.Context().Name() != "ghcr.io/kubectl-mgi/kubectl-mgi" {
		t.Errorf("the container example names %s (%v), not the image the release pushes", m[2], err)
	}
	indent := string(m[1])
	args, _ := json.Marshal(entrypoint[1:])
	asExec := indent + "exec:\n" + indent + "  path: " + entrypoint[0] + "\n" + indent + "  args: " + string(args) + "\n"
	if err := os.WriteFile(cfgPath, container.ReplaceAll(cfg, []byte(asExec)), 0o644); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(kustomize, "build", "--enable-alpha-plugins", "--enable-exec", filepath.Join(work, "container"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("kustomize build of the container overlay with the image's entrypoint: %v\n%s", err, stderr.String())
	}
	expanded(t, "kustomize build", documents(t, string(got)))
}

// object is what the checks read of an expanded object.
type object struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		Replicas *int   `json:"replicas"`
		Type     string `json:"type"`
		Template struct {
			Spec struct {
				Containers []struct {
					Image string `json:"image"`
				} `json:"containers"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// expanded checks that objs hold what plugins/kustomize/base's instance
// (edge/edge-gateway, 2 replicas, a LoadBalancer) expands to with the
// container example's dataplane image, and no MeshGatewayInstance.
func expanded(t *testing.T, what string, objs []object) {
	t.Helper()
	var deploy, svc *object
	for i, o := range objs {
		if o.Metadata.Namespace != "edge" || o.Metadata.Name != "edge-gateway" {
			continue
		}
		switch o.Kind {
		case "Deployment":
			deploy = &objs[i]
		case "Service":
			svc = &objs[i]
		case "MeshGatewayInstance":
			t.Errorf("%s still holds the MeshGatewayInstance", what)
		}
	}
	if deploy == nil || svc == nil {
		t.Fatalf("%s: no Deployment and Service edge/edge-gateway among %d objects", what, len(objs))
	}
	if deploy.Spec.Replicas == nil || *deploy.Spec.Replicas != 2 {
		t.Errorf("%s: Deployment replicas %v, want 2", what, deploy.Spec.Replicas)
	}
	if c := deploy.Spec.Template.Spec.Containers; len(c) == 0 || c[0].Image != "docker.io/kumahq/kuma-dp:2.9.3" {
		t.Errorf("%s: Deployment containers %+v, want the dataplane image docker.io/kumahq/kuma-dp:2.9.3", what, c)
	}
	if svc.Spec.Type != "LoadBalancer" {
		t.Errorf("%s: Service type %q, want LoadBalancer", what, svc.Spec.Type)
	}
}

// documents decodes a stream of YAML documents.
func documents(t *testing.T, stream string) []object {
	t.Helper()
	var out []object
	for _, doc := range strings.Split("\n"+stream, "\n---\n") {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		var o object
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			t.Fatalf("%v in\n%s", err, doc)
		}
		out = append(out, o)
	}
	return out
}

// resourceList is plugins/kustomize/base's objects and the container
// example's config as the ResourceList kustomize sends a function.
func resourceList(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, f := range []string{"namespace.yaml", "meshgateway.yaml", "instance.yaml"} {
		item(&b, mustRead(t, filepath.Join(repoRoot, "plugins", "kustomize", "base", "gateways", f)))
	}
	b.WriteString("functionConfig:\n")
	cfg := mustRead(t, filepath.Join(repoRoot, "plugins", "kustomize", "container", "mgi.yaml"))
	for _, l := range strings.Split(strings.TrimSpace(cfg), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// item appends one YAML document as a list item, comments dropped.
func item(b *strings.Builder, doc string) {
	first := true
	for _, l := range strings.Split(doc, "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") || l == "---" {
			continue
		}
		if first {
			b.WriteString("- " + l + "\n")
			first = false
		} else {
			b.WriteString("  " + l + "\n")
		}
	}
}

// release is what goreleaser's dist/metadata.json says of the build.
type release struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

func commitTime(t *testing.T, commit string) time.Time {
	t.Helper()
	out, err := exec.Command("git", "show", "-s", "--format=%ct", commit).Output()
	if err != nil {
		t.Fatalf("git show %s: %v", commit, err)
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return time.Unix(sec, 0)
}

// digests are an image's config digest and layer digests.
func digests(t *testing.T, img v1.Image) []string {
	t.Helper()
	cfg, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	out := []string{cfg.String()}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.String())
	}
	return out
}

func metadata(t *testing.T, d string) release {
	t.Helper()
	var m release
	if err := json.Unmarshal([]byte(mustRead(t, filepath.Join(d, "metadata.json"))), &m); err != nil {
		t.Fatalf("%s/metadata.json: %v", d, err)
	}
	return m
}

// imageIndex is the multi-platform index in dist/image/oci, the one the
// release pushes: the layout's only entry.
func imageIndex(t *testing.T, d string) v1.ImageIndex {
	t.Helper()
	l, err := layout.ImageIndexFromPath(filepath.Join(d, "image", "oci"))
	if err != nil {
		t.Fatal(err)
	}
	lm, err := l.IndexManifest()
	if err != nil || len(lm.Manifests) != 1 {
		t.Fatalf("dist/image/oci/index.json: %v, want one entry (the index)", err)
	}
	if want := strings.TrimSpace(mustRead(t, filepath.Join(d, "image", "digest"))); lm.Manifests[0].Digest.String() != want {
		t.Errorf("dist/image/digest %s, the layout holds %s", want, lm.Manifests[0].Digest)
	}
	idx, err := l.ImageIndex(lm.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return idx
}

// imageTarball loads dist/image/kubectl-mgi_linux_ARCH.tar as `docker
// load` would, by its tag.
func imageTarball(t *testing.T, d, arch string) v1.Image {
	t.Helper()
	meta := metadata(t, d)
	tag, err := name.NewTag("ghcr.io/kubectl-mgi/kubectl-mgi:v" + meta.Version)
	if err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(filepath.Join(d, "image", "kubectl-mgi_linux_"+arch+".tar"), &tag)
	if err != nil {
		t.Fatalf("loading the linux/%s tarball by its tag %s: %v", arch, tag, err)
	}
	return img
}

// filesystem is the image's flattened filesystem: every entry by path.
func filesystem(t *testing.T, img v1.Image) map[string]*tar.Header {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	out := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(h.Name, "/")] = h
	}
}

// unpackEntrypoint writes the image's filesystem into a temporary root
// and returns the entrypoint with its program resolved in that root.
func unpackEntrypoint(t *testing.T, img v1.Image) []string {
	t.Helper()
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	ep := cfg.Config.Entrypoint
	if len(ep) == 0 || !strings.HasPrefix(ep[0], "/") {
		t.Fatalf("entrypoint %q: want an absolute program", ep)
	}
	root := t.TempDir()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(p, root+string(filepath.Separator)) {
			t.Fatalf("layer entry %q leaves the root", h.Name)
		}
		if h.Typeflag != tar.TypeReg {
			t.Fatalf("layer entry %q of type %c: the image should hold one file", h.Name, h.Typeflag)
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_EXCL, os.FileMode(h.Mode)&0o777)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(f, tr); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return append([]string{filepath.Join(root, filepath.FromSlash(ep[0]))}, ep[1:]...)
}

// hostArch is this machine's platform, which must be one the image has.
func hostArch(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("the image's binary is for linux, this is %s", runtime.GOOS)
	}
	for _, p := range platforms {
		if p.arch == runtime.GOARCH {
			return p.arch
		}
	}
	t.Skipf("no image for linux/%s", runtime.GOARCH)
	return ""
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
