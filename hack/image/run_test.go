package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// fakeDist is a dist folder with a file in place of each platform's
// binary: enough for what run writes, which never executes it.
func fakeDist(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	for _, p := range platforms {
		if err := os.MkdirAll(filepath.Join(d, p.dist), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, p.dist, "kubectl-mgi"), []byte("binary for "+p.arch), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// Two builds of the same binaries and commit time give the same index
// digest, which the layout names by its tag and the digest file records.
func TestRunIsReproducible(t *testing.T) {
	var digests []string
	for range 2 {
		d := fakeDist(t)
		if err := run(d, "ghcr.io/kubectl-mgi/kubectl-mgi", "v1.2.3", "abc", "1700000000", false); err != nil {
			t.Fatal(err)
		}
		digest := strings.TrimSpace(mustRead(t, filepath.Join(d, "image", "digest")))
		digests = append(digests, digest)
		l, err := layout.ImageIndexFromPath(filepath.Join(d, "image", "oci"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := l.IndexManifest()
		if err != nil || len(m.Manifests) != 1 {
			t.Fatalf("index.json %+v %v, want one entry", m, err)
		}
		if e := m.Manifests[0]; e.Digest.String() != digest || e.Annotations["org.opencontainers.image.ref.name"] != "v1.2.3" {
			t.Errorf("index.json names %s %v, want %s tagged v1.2.3", e.Digest, e.Annotations, digest)
		}
		for _, p := range platforms {
			if _, err := os.Stat(filepath.Join(d, "image", "kubectl-mgi_linux_"+p.arch+".tar")); err != nil {
				t.Error(err)
			}
		}
	}
	if digests[0] != digests[1] {
		t.Errorf("two builds gave %s and %s", digests[0], digests[1])
	}
}

// A missing binary says which platform and what to run first.
func TestRunWithoutBinaries(t *testing.T) {
	err := run(t.TempDir(), "ghcr.io/kubectl-mgi/kubectl-mgi", "v1.2.3", "abc", "1700000000", false)
	if err == nil || !strings.Contains(err.Error(), "linux/amd64") || !strings.Contains(err.Error(), "run goreleaser build first") {
		t.Errorf("error %v, want the platform and the advice to run goreleaser", err)
	}
}
