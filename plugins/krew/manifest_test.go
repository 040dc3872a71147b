// Package krew holds the krew plugin manifest of kubectl mgi (mgi.yaml, a
// krew-release-bot template) and the tests that keep it in line with
// .goreleaser.yaml and with the archives a release build makes.
package krew

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/template"

	"sigs.k8s.io/yaml"
)

// Manifest is the part of krew's Plugin (v1alpha2) the tests compare.
type Manifest struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Version          string     `json:"version"`
		Homepage         string     `json:"homepage"`
		ShortDescription string     `json:"shortDescription"`
		Description      string     `json:"description"`
		Caveats          string     `json:"caveats"`
		Platforms        []Platform `json:"platforms"`
	} `json:"spec"`
}

// Platform is one entry of spec.platforms.
type Platform struct {
	Selector struct {
		MatchLabels map[string]string `json:"matchLabels"`
	} `json:"selector"`
	URI    string `json:"uri"`
	Sha256 string `json:"sha256"`
	Bin    string `json:"bin"`
	Files  []struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"files"`
}

func (p Platform) key() string {
	return p.Selector.MatchLabels["os"] + "/" + p.Selector.MatchLabels["arch"]
}

// renderTemplate fills mgi.yaml the way krew-release-bot does: .TagName is
// the tag, and addURIAndSha(url, tag) writes "uri: ...\n    sha256: ...",
// with the digest from sha (which gets the URL with the tag filled in).
func renderTemplate(t *testing.T, tag string, sha func(uri string) (string, error)) Manifest {
	t.Helper()
	src, err := os.ReadFile("mgi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	funcs := template.FuncMap{"addURIAndSha": func(url, tag string) (string, error) {
		uri := strings.ReplaceAll(url, "{{ .TagName }}", tag)
		sum, err := sha(uri)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("uri: %s\n    sha256: %s", uri, sum), nil
	}}
	tmpl, err := template.New("mgi.yaml").Funcs(funcs).Parse(string(src))
	if err != nil {
		t.Fatalf("mgi.yaml is not a valid template: %v", err)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, struct{ TagName string }{tag}); err != nil {
		t.Fatalf("rendering mgi.yaml: %v", err)
	}
	var m Manifest
	// Strict: a misspelt field in mgi.yaml fails here instead of being ignored.
	if err := yaml.UnmarshalStrict(out.Bytes(), &m); err != nil {
		t.Fatalf("rendered mgi.yaml: %v\n%s", err, out.String())
	}
	return m
}

// goreleaserConfig is what the tests read from .goreleaser.yaml.
type goreleaserConfig struct {
	Archives []struct {
		NameTemplate    string   `json:"name_template"`
		Formats         []string `json:"formats"`
		FormatOverrides []struct {
			Goos    string   `json:"goos"`
			Formats []string `json:"formats"`
		} `json:"format_overrides"`
	} `json:"archives"`
	Builds []struct {
		Binary string   `json:"binary"`
		Goos   []string `json:"goos"`
		Goarch []string `json:"goarch"`
	} `json:"builds"`
	Krews []struct {
		Name             string `json:"name"`
		Homepage         string `json:"homepage"`
		URLTemplate      string `json:"url_template"`
		ShortDescription string `json:"short_description"`
		Description      string `json:"description"`
		Caveats          string `json:"caveats"`
	} `json:"krews"`
}

func readGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c goreleaserConfig
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if len(c.Archives) != 1 || len(c.Builds) != 1 || len(c.Krews) != 1 {
		t.Fatalf(".goreleaser.yaml: want one build, one archive and one krew section, got %d, %d, %d", len(c.Builds), len(c.Archives), len(c.Krews))
	}
	return c
}

// archiveName is the archive goreleaser makes for os/arch, from the name
// template and format overrides in .goreleaser.yaml.
func archiveName(t *testing.T, c goreleaserConfig, goos, goarch string) string {
	t.Helper()
	a := c.Archives[0]
	name := strings.NewReplacer("{{ .Os }}", goos, "{{ .Arch }}", goarch).Replace(a.NameTemplate)
	if strings.Contains(name, "{{") {
		t.Fatalf("archive name_template %q uses fields this test does not know; extend archiveName", a.NameTemplate)
	}
	format := a.Formats[0]
	for _, o := range a.FormatOverrides {
		if o.Goos == goos {
			format = o.Formats[0]
		}
	}
	return name + "." + format
}

// sameTexts fails when the manifest's texts differ from the krews section.
func sameTexts(t *testing.T, m Manifest, c goreleaserConfig) {
	t.Helper()
	k := c.Krews[0]
	for _, f := range []struct{ field, manifest, goreleaser string }{
		{"metadata.name", m.Metadata.Name, k.Name},
		{"homepage", m.Spec.Homepage, k.Homepage},
		{"shortDescription", m.Spec.ShortDescription, k.ShortDescription},
		{"description", m.Spec.Description, k.Description},
		{"caveats", m.Spec.Caveats, k.Caveats},
	} {
		if f.manifest != f.goreleaser {
			t.Errorf("%s differs between plugins/krew/mgi.yaml and .goreleaser.yaml krews:\n mgi.yaml:   %q\n goreleaser: %q", f.field, f.manifest, f.goreleaser)
		}
	}
}

func sortedKeys(m map[string]Platform) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func byPlatform(t *testing.T, ps []Platform) map[string]Platform {
	t.Helper()
	out := map[string]Platform{}
	for _, p := range ps {
		if _, dup := out[p.key()]; dup {
			t.Errorf("platform %s listed twice", p.key())
		}
		out[p.key()] = p
	}
	return out
}

func sha256File(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("archive for %s: %w", path.Base(p), err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
