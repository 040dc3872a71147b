package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// platform is one image of the index and the goreleaser build it takes the
// binary from.
type platform struct {
	arch, variant, dist string
}

var platforms = []platform{
	{arch: "amd64", dist: "kubectl-mgi_linux_amd64_v1"},
	{arch: "arm64", variant: "v8", dist: "kubectl-mgi_linux_arm64_v8.0"},
}

// build is the empty image plus one layer with the binary at /kubectl-mgi.
func build(bin string, p platform, version, commit string, created time.Time) (v1.Image, error) {
	body, err := os.ReadFile(bin)
	if err != nil {
		return nil, fmt.Errorf("%w (run goreleaser build first)", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := &tar.Header{Name: "kubectl-mgi", Mode: 0o755, Size: int64(len(body)), ModTime: created, Uid: 0, Gid: 0, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, err
	}
	if _, err := tw.Write(body); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	layerBytes := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerBytes)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: created}, CreatedBy: "hack/image: kubectl-mgi " + version}})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = "linux", p.arch, p.variant
	cfg.Created = v1.Time{Time: created}
	cfg.Config.Entrypoint = []string{"/kubectl-mgi", "fn"}
	// nobody: a KRM function needs no privileges.
	cfg.Config.User = "65534:65534"
	cfg.Config.Labels = map[string]string{
		"org.opencontainers.image.source":   "https://github.com/kubectl-mgi/kubectl-mgi",
		"org.opencontainers.image.version":  version,
		"org.opencontainers.image.revision": commit,
		"org.opencontainers.image.title":    "kubectl-mgi KRM function",
	}
	return mutate.ConfigFile(img, cfg)
}
