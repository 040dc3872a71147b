package release

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// dist is the folder `make release-check` built, or the test is skipped.
func dist(t *testing.T) string {
	t.Helper()
	d := os.Getenv("MGI_RELEASE_DIST")
	if d == "" {
		t.Skip("MGI_RELEASE_DIST is not set: `make release-check` builds the release into dist/ and runs this test on it")
	}
	return d
}

// artifact is one entry of goreleaser's dist/artifacts.json.
type artifact struct {
	Name string `json:"name"`
	Path string `json:"path"`
	Type string `json:"type"`
}

func artifacts(t *testing.T, d string) []artifact {
	t.Helper()
	var out []artifact
	b, err := os.ReadFile(filepath.Join(d, "artifacts.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("artifacts.json: %v", err)
	}
	return out
}

func ofType(as []artifact, typ string) []artifact {
	var out []artifact
	for _, a := range as {
		if a.Type == typ {
			out = append(out, a)
		}
	}
	return out
}

// Every archive the snapshot built has its SBOM, an SPDX document that
// lists the Go modules compiled into the binary.
func TestReleaseSBOMs(t *testing.T) {
	d := dist(t)
	as := artifacts(t, d)
	archives := ofType(as, "Archive")
	if len(archives) == 0 {
		t.Fatalf("%s/artifacts.json lists no archive", d)
	}
	sboms := map[string]bool{}
	for _, a := range ofType(as, "SBOM") {
		sboms[a.Name] = true
	}
	for _, a := range archives {
		name := a.Name + ".sbom.json"
		if !sboms[name] {
			t.Errorf("artifacts.json lists no SBOM %s for %s", name, a.Name)
		}
		var doc struct {
			SPDXVersion string `json:"spdxVersion"`
			Name        string `json:"name"`
			Packages    []struct {
				Name        string `json:"name"`
				VersionInfo string `json:"versionInfo"`
			} `json:"packages"`
		}
		b, err := os.ReadFile(filepath.Join(d, name))
		if err != nil {
			t.Errorf("no SBOM for %s: %v", a.Name, err)
			continue
		}
		if err := json.Unmarshal(b, &doc); err != nil || !strings.HasPrefix(doc.SPDXVersion, "SPDX-2.") {
			t.Errorf("%s is not SPDX 2 JSON: %v", name, err)
			continue
		}
		versions := map[string]string{}
		for _, p := range doc.Packages {
			versions[p.Name] = p.VersionInfo
		}
		// The versions go.mod requires: the SBOM read them from the binary.
		for mod, want := range map[string]string{"k8s.io/client-go": requiredVersion(t, "k8s.io/client-go"), "sigs.k8s.io/kustomize/kyaml": requiredVersion(t, "sigs.k8s.io/kustomize/kyaml")} {
			if got := versions[mod]; got != want {
				t.Errorf("%s: %s at %q, want %s (go.mod)", name, mod, got, want)
			}
		}
	}
}

// requiredVersion is the version go.mod requires of mod.
func requiredVersion(t *testing.T, mod string) string {
	t.Helper()
	for _, l := range strings.Split(read(t, "go.mod"), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == mod {
			return f[1]
		}
		if len(f) >= 3 && f[0] == "require" && f[1] == mod {
			return f[2]
		}
	}
	t.Fatalf("go.mod does not require %s", mod)
	return ""
}

// The snapshot ran goreleaser's sign step with the offline stand-in for
// cosign (internal/release/testdata/bin/cosign, which records its
// arguments and the sha256 of the file it was given in the bundle file):
// goreleaser passed the keyless sign-blob of dist/checksums.txt into the
// bundle the workflow verifies, lists the bundle as a signature, so the
// release attaches it, and left checksums.txt as it was signed, listing
// every archive and SBOM. (goreleaser v2.15.1 rewrites checksums.txt after
// signing; without checksum.ids it added the bundle to it, and the
// signature no longer verified: goreleaser#6514.)
func TestReleaseSnapshotSigning(t *testing.T) {
	d := dist(t)
	c := goreleaser(t)
	bundle := strings.ReplaceAll(c.Signs[0].Signature, "${artifact}", c.Checksum.NameTemplate)
	var rec struct {
		OfflineStandIn string            `json:"offlineStandIn"`
		Args           []string          `json:"args"`
		SignedSha256   map[string]string `json:"signedSha256"`
	}
	b, err := os.ReadFile(filepath.Join(d, bundle))
	if err != nil {
		t.Fatalf("the sign step wrote no %s: %v", bundle, err)
	}
	if err := json.Unmarshal(b, &rec); err != nil || rec.OfflineStandIn == "" {
		t.Fatalf("%s is not the offline stand-in's record (%v): was the snapshot signed with testdata/bin first on PATH?\n%s", bundle, err, b)
	}
	want := []string{"sign-blob", "--bundle=dist/" + bundle, "dist/" + c.Checksum.NameTemplate, "--yes"}
	if !slices.Equal(rec.Args, want) {
		t.Errorf("goreleaser ran cosign %q, want %q", rec.Args, want)
	}
	var listed bool
	for _, a := range ofType(artifacts(t, d), "Signature") {
		listed = listed || a.Name == bundle
	}
	if !listed {
		t.Errorf("artifacts.json lists no signature %s: the release would not attach it", bundle)
	}

	sumsPath := filepath.Join(d, c.Checksum.NameTemplate)
	sums, err := os.ReadFile(sumsPath)
	if err != nil {
		t.Fatal(err)
	}
	if got, signed := fmt.Sprintf("%x", sha256.Sum256(sums)), rec.SignedSha256["dist/"+c.Checksum.NameTemplate]; got != signed {
		t.Errorf("%s changed after it was signed (sha256 %s signed, %s left): the bundle would not verify\n%s", c.Checksum.NameTemplate, signed, got, sums)
	}
	listed2 := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		if f := strings.Fields(l); len(f) == 2 {
			listed2[f[1]] = true
		}
	}
	as := artifacts(t, d)
	for _, a := range append(ofType(as, "Archive"), ofType(as, "SBOM")...) {
		if !listed2[a.Name] {
			t.Errorf("%s does not list %s", c.Checksum.NameTemplate, a.Name)
		}
	}
	if listed2[bundle] {
		t.Errorf("%s lists its own signature bundle %s", c.Checksum.NameTemplate, bundle)
	}
}
