package release

import (
	"slices"
	"strings"
	"testing"
)

// imageRepository is the repository the release pushes the KRM function's
// image to (hack/image's default) and the container example names.
const imageRepository = "ghcr.io/kubectl-mgi/kubectl-mgi"

// Every platform of the release is declared, whether or not `make
// release-check` builds them all: Linux, macOS and Windows on amd64 and
// arm64 (docs/install.md), linux for the image.
func TestReleaseDeclaresEveryPlatform(t *testing.T) {
	c := goreleaser(t)
	if len(c.Builds) != 1 {
		t.Fatalf("builds: %+v, want one", c.Builds)
	}
	b := c.Builds[0]
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("build %s lacks goos %s", b.ID, os)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("build %s lacks goarch %s", b.ID, arch)
		}
	}
	// hack/image takes each platform's binary from goreleaser's folder
	// for it (dist/<build>_linux_<arch>_<level>).
	image := read(t, "hack/image/image.go")
	for _, dir := range []string{b.ID + "_linux_amd64_v1", b.ID + "_linux_arm64_v8.0"} {
		if !strings.Contains(image, `"`+dir+`"`) {
			t.Errorf("hack/image/image.go does not read the binary from dist/%s", dir)
		}
	}
}

// checksums.txt is signed keylessly by cosign into a v3 bundle named after
// it, and every archive gets an SBOM.
func TestReleaseSignsChecksumsAndWritesSBOMs(t *testing.T) {
	c := goreleaser(t)
	if len(c.Signs) != 1 {
		t.Fatalf("signs: %+v, want one", c.Signs)
	}
	s := c.Signs[0]
	if s.Cmd != "cosign" || s.Artifacts != "checksum" || s.Signature != "${artifact}.sigstore.json" {
		t.Errorf("signs: %+v; want cosign over the checksum into ${artifact}.sigstore.json", s)
	}
	// As goreleaser expands them for checksums.txt in dist/.
	args := strings.NewReplacer("${signature}", "dist/checksums.txt.sigstore.json", "${artifact}", "dist/"+c.Checksum.NameTemplate).Replace(strings.Join(s.Args, " "))
	if want := "sign-blob --bundle=dist/checksums.txt.sigstore.json dist/checksums.txt --yes"; args != want {
		t.Errorf("cosign %s; want %s (keyless: no --key, the bundle holds signature, certificate and log proof)", args, want)
	}
	if len(c.SBOMs) != 1 {
		t.Fatalf("sboms: %+v, want one", c.SBOMs)
	}
	sb := c.SBOMs[0]
	if sb.Artifacts != "archive" || sb.Cmd != "syft" || !slices.Equal(sb.Documents, []string{"{{ .ArtifactName }}.sbom.json"}) {
		t.Errorf("sboms: %+v, want syft over every archive into <archive>.sbom.json", sb)
	}
	if a := strings.Join(sb.Args, " "); !strings.Contains(a, "$artifact") || !strings.Contains(a, "spdx-json=$document") {
		t.Errorf("sboms args %q: want the archive scanned into SPDX JSON", a)
	}
	// goreleaser rewrites checksums.txt after signing it, from the
	// artifacts checksum.ids selects: the archives and SBOMs, never the
	// signature, or the signed bytes change (goreleaser#6514).
	ids := c.Checksum.IDs
	if !slices.Contains(ids, c.Builds[0].ID) || !slices.Contains(ids, sb.ID) || slices.Contains(ids, s.ID) || len(ids) != 2 {
		t.Errorf("checksum ids %q, want the archives' %q and the SBOMs' %q, not the signature's %q", ids, c.Builds[0].ID, sb.ID, s.ID)
	}
}

// The container example names the image the release publishes.
func TestReleaseImageIsTheContainerExamples(t *testing.T) {
	example := read(t, "plugins/kustomize/container/mgi.yaml")
	if !strings.Contains(example, "image: "+imageRepository+":v") {
		t.Errorf("plugins/kustomize/container/mgi.yaml does not name %s:vX.Y.Z:\n%s", imageRepository, example)
	}
	if !strings.Contains(read(t, "hack/image/main.go"), `"repository", "`+imageRepository+`"`) {
		t.Errorf("hack/image does not push to %s by default", imageRepository)
	}
	w := releaseWorkflow(t)
	i := w.stepIndex("go -C hack/image run . -dist ../../dist -push")
	if i < 0 {
		t.Fatalf("%s does not push the image with hack/image", workflowPath)
	}
	if g := w.stepIndex("goreleaser/goreleaser-action@"); g < 0 || g > i {
		t.Errorf("%s builds the image (step %d) before goreleaser built its binaries (step %d)", workflowPath, i, g)
	}
}
