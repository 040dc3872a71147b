// Command image builds the container image of the KRM function from the
// static linux binaries a goreleaser build left in dist/, with no container
// engine and no base image: each platform's image is an empty image plus one
// layer holding /kubectl-mgi, whose entrypoint is `kubectl-mgi fn` (kustomize
// passes a container function no arguments). Nothing is pulled.
//
// It writes one tarball per platform that `docker load` and `crane export`
// read (dist/image/kubectl-mgi_linux_<arch>.tar), an OCI image layout whose
// index.json names the multi-platform index by its tag (dist/image/oci, read
// as oci:dist/image/oci:<tag>), and the index's digest (dist/image/digest),
// which the release pushes, signs and attests. The image is created at the
// commit's time, so rebuilding a commit gives the same digest. With -push it
// also pushes the index to REPOSITORY:VERSION, with the credentials of
// $IMAGE_REGISTRY_USER and $IMAGE_REGISTRY_PASSWORD.
//
// goreleaser's kos pipe would pull its base image from a registry (or a
// Docker daemon) even for an empty base; this does what ko does on an empty
// base without either. The tests (image_test.go) check what `make
// release-check` built: they run with MGI_RELEASE_DIST set.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func main() {
	dist := flag.String("dist", "dist", "goreleaser's dist folder")
	repo := flag.String("repository", "ghcr.io/kubectl-mgi/kubectl-mgi", "image repository the tarballs are tagged with")
	version := flag.String("version", "", "image tag and org.opencontainers.image.version, e.g. v0.3.0 (default: v and the version in DIST/metadata.json)")
	commit := flag.String("commit", "", "org.opencontainers.image.revision (default: the commit in DIST/metadata.json)")
	epoch := flag.String("epoch", os.Getenv("SOURCE_DATE_EPOCH"), "creation time, seconds since 1970 (default: $SOURCE_DATE_EPOCH, else the commit time of the commit in DIST/metadata.json, so a rebuild gives the same digest)")
	push := flag.Bool("push", false, "push the index to REPOSITORY:VERSION")
	flag.Parse()
	if err := fromMetadata(*dist, version, commit, epoch); err != nil {
		fmt.Fprintln(os.Stderr, "hack/image:", err)
		os.Exit(1)
	}
	if err := run(*dist, *repo, *version, *commit, *epoch, *push); err != nil {
		fmt.Fprintln(os.Stderr, "hack/image:", err)
		os.Exit(1)
	}
}

// fromMetadata fills what the flags left empty from goreleaser's
// dist/metadata.json: the release's version and commit, and the commit's
// time from git (metadata.json's date is when goreleaser ran, which would
// give every rebuild another digest).
func fromMetadata(dist string, version, commit, epoch *string) error {
	b, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	if err != nil {
		if *version != "" && *epoch != "" {
			return nil
		}
		return fmt.Errorf("%w: run goreleaser first, or pass -version and -epoch", err)
	}
	var m struct {
		Version string `json:"version"`
		Commit  string `json:"commit"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s/metadata.json: %w", dist, err)
	}
	if *version == "" {
		*version = "v" + m.Version
	}
	if *commit == "" {
		*commit = m.Commit
	}
	if *epoch == "" {
		out, err := exec.Command("git", "show", "-s", "--format=%ct", *commit).Output()
		if err != nil {
			return fmt.Errorf("the time of commit %s (git show): %w; run in the repository or pass -epoch", *commit, err)
		}
		*epoch = strings.TrimSpace(string(out))
	}
	return nil
}

func run(dist, repo, version, commit, epoch string, push bool) error {
	if version == "" {
		return errors.New("-version is required")
	}
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil {
		return fmt.Errorf("-epoch %q: %w", epoch, err)
	}
	created := time.Unix(sec, 0).UTC()
	tag, err := name.NewTag(repo + ":" + version)
	if err != nil {
		return fmt.Errorf("image name %s:%s: %w", repo, version, err)
	}
	out := filepath.Join(dist, "image")
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	var idx v1.ImageIndex = empty.Index
	idx = mutate.IndexMediaType(idx, types.OCIImageIndex)
	for _, p := range platforms {
		img, err := build(filepath.Join(dist, p.dist, "kubectl-mgi"), p, version, commit, created)
		if err != nil {
			return fmt.Errorf("linux/%s: %w", p.arch, err)
		}
		file := filepath.Join(out, "kubectl-mgi_linux_"+p.arch+".tar")
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if err := tarball.WriteToFile(file, tag, img); err != nil {
			return fmt.Errorf("writing %s: %w", file, err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: p.arch, Variant: p.variant}},
		})
	}
	// The layout's index.json names the multi-platform index by its tag,
	// as skopeo and crane read an OCI layout (oci:DIR:TAG); the index's
	// own digest is the one pushed, signed and attested.
	lp, err := layout.Write(filepath.Join(out, "oci"), empty.Index)
	if err != nil {
		return fmt.Errorf("writing the OCI layout: %w", err)
	}
	if err := lp.AppendIndex(idx, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": version})); err != nil {
		return fmt.Errorf("writing the OCI layout: %w", err)
	}
	digest, err := idx.Digest()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "digest"), []byte(digest.String()+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s@%s\n", tag.Context().Name(), digest)
	if !push {
		return nil
	}
	auth := authn.FromConfig(authn.AuthConfig{Username: os.Getenv("IMAGE_REGISTRY_USER"), Password: os.Getenv("IMAGE_REGISTRY_PASSWORD")})
	if err := remote.WriteIndex(tag, idx, remote.WithAuth(auth)); err != nil {
		return fmt.Errorf("pushing %s: %w", tag, err)
	}
	fmt.Printf("pushed %s\n", tag)
	return nil
}
