package krew

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// distEnv names the goreleaser dist folder of a snapshot build; make
// release-check sets it after `goreleaser release --snapshot`.
const distEnv = "KREW_DIST"

// TestManifestMatchesSnapshot checks mgi.yaml against a real snapshot
// build: rendered with the snapshot's version and the real digests of its
// archives, it must equal the manifest goreleaser generated, and every
// archive must hold the binary and every file the manifest copies.
func TestManifestMatchesSnapshot(t *testing.T) {
	dist := os.Getenv(distEnv)
	if dist == "" {
		t.Skipf("%s is not set: make release-check runs this after a snapshot build", distEnv)
	}
	c := readGoreleaser(t)
	generated := readGenerated(t, filepath.Join(dist, "krew", c.Krews[0].Name+".yaml"))
	tag := generated.Spec.Version
	ours := renderTemplate(t, tag, func(uri string) (string, error) {
		return sha256File(filepath.Join(dist, path.Base(uri)))
	})
	if ours.Metadata.Name != generated.Metadata.Name || ours.Spec.Version != generated.Spec.Version {
		t.Errorf("name/version: mgi.yaml %s %s, goreleaser %s %s", ours.Metadata.Name, ours.Spec.Version, generated.Metadata.Name, generated.Spec.Version)
	}
	sameTexts(t, generated, c)
	sameTexts(t, ours, c)

	sums := readChecksums(t, filepath.Join(dist, "checksums.txt"))
	want, got := byPlatform(t, generated.Spec.Platforms), byPlatform(t, ours.Spec.Platforms)
	if strings.Join(sortedKeys(want), ",") != strings.Join(sortedKeys(got), ",") {
		t.Fatalf("platforms: mgi.yaml %v, goreleaser %v", sortedKeys(got), sortedKeys(want))
	}
	for key, g := range want {
		o := got[key]
		if o.URI != g.URI || o.Sha256 != g.Sha256 || o.Bin != g.Bin {
			t.Errorf("%s: mgi.yaml {%s %s %s}, goreleaser {%s %s %s}", key, o.URI, o.Sha256, o.Bin, g.URI, g.Sha256, g.Bin)
		}
		name := path.Base(o.URI)
		if sums[name] != o.Sha256 {
			t.Errorf("%s: checksums.txt has %q for %s, the manifest %q", key, sums[name], name, o.Sha256)
		}
		checkArchive(t, filepath.Join(dist, name), o)
	}
	checkStampedBinary(t, dist, c, tag)
}

func readGenerated(t *testing.T, p string) Manifest {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("goreleaser's krew manifest: %v (did the snapshot build run?)", err)
	}
	var m Manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return m
}

func readChecksums(t *testing.T, p string) map[string]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fields := strings.Fields(s.Text()); len(fields) == 2 {
			sums[fields[1]] = fields[0]
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return sums
}

// archiveEntry is a regular file in an archive.
type archiveEntry struct {
	mode os.FileMode
	size int64
}

func listArchive(p string) (map[string]archiveEntry, error) {
	out := map[string]archiveEntry{}
	if strings.HasSuffix(p, ".zip") {
		z, err := zip.OpenReader(p)
		if err != nil {
			return nil, err
		}
		defer z.Close()
		for _, f := range z.File {
			if !f.FileInfo().IsDir() {
				out[f.Name] = archiveEntry{f.Mode(), int64(f.UncompressedSize64)}
			}
		}
		return out, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if h.Typeflag == tar.TypeReg {
			out[h.Name] = archiveEntry{h.FileInfo().Mode(), h.Size}
		}
	}
}

func checkArchive(t *testing.T, p string, pl Platform) {
	t.Helper()
	entries, err := listArchive(p)
	if err != nil {
		t.Errorf("%s: %v", pl.key(), err)
		return
	}
	bin, ok := entries[pl.Bin]
	switch {
	case !ok:
		t.Errorf("%s: %s has no %s at its top; it has %v", pl.key(), path.Base(p), pl.Bin, entries)
	case bin.size < 1<<20:
		t.Errorf("%s: %s in %s is only %d bytes", pl.key(), pl.Bin, path.Base(p), bin.size)
	case !strings.HasSuffix(p, ".zip") && bin.mode&0o111 == 0:
		t.Errorf("%s: %s in %s is not executable (%v)", pl.key(), pl.Bin, path.Base(p), bin.mode)
	}
	for _, want := range []string{"LICENSE", "kubectl_complete-mgi"} {
		if _, ok := entries[want]; !ok {
			t.Errorf("%s: %s lacks %s", pl.key(), path.Base(p), want)
		}
	}
	for _, f := range pl.Files {
		if _, ok := entries[f.From]; !ok {
			t.Errorf("%s: the manifest copies %s, which %s lacks", pl.key(), f.From, path.Base(p))
		}
	}
}

// checkStampedBinary runs the snapshot binary for this machine and checks
// the ldflags reached it: its version is the manifest's.
func checkStampedBinary(t *testing.T, dist string, c goreleaserConfig, tag string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	archive := filepath.Join(dist, archiveName(t, c, runtime.GOOS, runtime.GOARCH))
	dir := t.TempDir()
	if out, err := exec.Command("tar", "-xzf", archive, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("unpacking %s: %v\n%s", archive, err, out)
	}
	out, err := exec.Command(filepath.Join(dir, c.Builds[0].Binary), "version", "-o", "json").Output()
	if err != nil {
		t.Fatalf("snapshot binary: version -o json: %v", err)
	}
	// Only the stamped strings; version -o json also lists the Kuma
	// releases supported (an array).
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("version -o json: %v\n%s", err, out)
	}
	if v["version"] != tag {
		t.Errorf("binary says version %q, manifest %q", v["version"], tag)
	}
	for _, k := range []string{"commit", "date"} {
		if s, _ := v[k].(string); s == "" || s == "unknown" {
			t.Errorf("binary's %s is not stamped: %s", k, out)
		}
	}
}
