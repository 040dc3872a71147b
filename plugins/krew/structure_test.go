package krew

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestManifestStructure needs no release build: it checks mgi.yaml against
// .goreleaser.yaml (platforms, archive names, binary, texts). The digests
// are computed from the URL only so the YAML has the right shape; the real
// ones are checked by TestManifestMatchesSnapshot in make release-check.
func TestManifestStructure(t *testing.T) {
	c := readGoreleaser(t)
	const tag = "v1.2.3"
	m := renderTemplate(t, tag, func(uri string) (string, error) {
		sum := sha256.Sum256([]byte(uri))
		return hex.EncodeToString(sum[:]), nil
	})
	if m.APIVersion != "krew.googlecontainertools.github.com/v1alpha2" || m.Kind != "Plugin" || m.Metadata.Name != "mgi" {
		t.Fatalf("header: %s %s %s", m.APIVersion, m.Kind, m.Metadata.Name)
	}
	if m.Spec.Version != tag {
		t.Errorf("spec.version = %q, want the tag %q", m.Spec.Version, tag)
	}
	if m.Spec.ShortDescription == "" || len(m.Spec.ShortDescription) > 80 {
		t.Errorf("shortDescription must be set and short (krew-index asks for one line): %q", m.Spec.ShortDescription)
	}
	if m.Spec.Description == "" || m.Spec.Caveats == "" {
		t.Error("description and caveats must be set")
	}
	sameTexts(t, m, c)

	platforms := byPlatform(t, m.Spec.Platforms)
	b := c.Builds[0]
	want := len(b.Goos) * len(b.Goarch)
	if len(platforms) != want {
		t.Errorf("mgi.yaml has platforms %v; .goreleaser.yaml builds %v x %v", sortedKeys(platforms), b.Goos, b.Goarch)
	}
	urlPrefix := strings.ReplaceAll(c.Krews[0].URLTemplate, "{{ .ArtifactName }}", "")
	urlPrefix = strings.ReplaceAll(urlPrefix, "v{{ .Version }}", tag)
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			p, ok := platforms[goos+"/"+goarch]
			if !ok {
				t.Errorf("no platform for %s/%s", goos, goarch)
				continue
			}
			checkPlatform(t, p, urlPrefix+archiveName(t, c, goos, goarch), b.Binary, goos)
		}
	}
}

var hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)

func checkPlatform(t *testing.T, p Platform, wantURI, binary, goos string) {
	t.Helper()
	if p.URI != wantURI {
		t.Errorf("%s: uri %q, want %q (the archive goreleaser names)", p.key(), p.URI, wantURI)
	}
	if !hexDigest.MatchString(p.Sha256) {
		t.Errorf("%s: sha256 %q is not a hex digest", p.key(), p.Sha256)
	}
	wantBin := binary
	if goos == "windows" {
		wantBin += ".exe"
	}
	if p.Bin != wantBin {
		t.Errorf("%s: bin %q, want %q", p.key(), p.Bin, wantBin)
	}
	froms := map[string]bool{}
	for _, f := range p.Files {
		froms[f.From] = true
		if f.To != "." {
			t.Errorf("%s: files entry %s goes to %q; everything belongs in the plugin's root", p.key(), f.From, f.To)
		}
	}
	if !froms[p.Bin] || !froms["LICENSE"] {
		t.Errorf("%s: files must copy %s and LICENSE, have %v", p.key(), p.Bin, p.Files)
	}
	if path.Ext(p.URI) == ".zip" != (goos == "windows") {
		t.Errorf("%s: %s: zip is for windows, tar.gz for the rest", p.key(), p.URI)
	}
}
