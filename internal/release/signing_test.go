package release

import (
	"path"
	"regexp"
	"strings"
	"testing"
)

const oidcIssuer = "https://token.actions.githubusercontent.com"

// identity is the certificate identity Sigstore gives the release workflow
// run on tag: GitHub's job_workflow_ref as a URL.
func identity(repo, tag string) string {
	return "https://github.com/" + repo + "/" + workflowPath + "@refs/tags/" + tag
}

// The workflow verifies the bundle goreleaser writes, right after
// goreleaser and before the image is published, against its own identity:
// the same check docs/install.md gives users.
func TestReleaseWorkflowVerifiesTheChecksumsBundle(t *testing.T) {
	c := goreleaser(t)
	bundle := strings.ReplaceAll(c.Signs[0].Signature, "${artifact}", c.Checksum.NameTemplate)
	w := releaseWorkflow(t)
	i := w.stepIndex("cosign verify-blob")
	if i < 0 {
		t.Fatalf("%s has no cosign verify-blob step", workflowPath)
	}
	if g, p := w.stepIndex("goreleaser/goreleaser-action@"), w.stepIndex("hack/image run"); g < 0 || g > i || p < i {
		t.Errorf("steps: goreleaser %d, verify-blob %d, image push %d; want them in that order", g, i, p)
	}
	st := w.steps()[i]
	cmds := commands(st.Run, "cosign")
	if len(cmds) != 1 {
		t.Fatalf("verify step %q: %d cosign commands", st.Run, len(cmds))
	}
	cmd := cmds[0]
	if got := positional(cmd, 2); len(got) != 1 || got[0] != "dist/"+c.Checksum.NameTemplate {
		t.Errorf("verify-blob of %v, want dist/%s", got, c.Checksum.NameTemplate)
	}
	if got := flag(cmd, "--bundle"); got != "dist/"+bundle {
		t.Errorf("verify-blob --bundle %q, want the bundle goreleaser writes, dist/%s", got, bundle)
	}
	if got := flag(cmd, "--certificate-oidc-issuer"); got != oidcIssuer {
		t.Errorf("verify-blob --certificate-oidc-issuer %q, want %s", got, oidcIssuer)
	}
	id := flag(cmd, "--certificate-identity")
	if v, ok := strings.CutPrefix(id, "$"); ok {
		id = st.Env[v]
	}
	if id != "https://github.com/${{ github.workflow_ref }}" {
		t.Errorf("verify-blob --certificate-identity %q, want the workflow's own ref", id)
	}
	for _, f := range []string{"--key", "--certificate-identity-regexp", "--insecure-ignore-tlog"} {
		if flag(cmd, f) != "" || strings.Contains(st.Run, f) {
			t.Errorf("verify-blob uses %s: the check must be the keyless one users make", f)
		}
	}
}

// docs/install.md verifies the assets the release attaches, with the
// identity the workflow signs with on a tag it runs on.
func TestInstallDocsVerifyWhatTheReleaseSigns(t *testing.T) {
	c := goreleaser(t)
	repo := c.repository()
	bundle := strings.ReplaceAll(c.Signs[0].Signature, "${artifact}", c.Checksum.NameTemplate)
	w := releaseWorkflow(t)
	docs := read(t, "docs/install.md")

	blobs := commands(docs, "cosign")
	var verified bool
	for _, cmd := range blobs {
		if len(cmd) < 2 || cmd[1] != "verify-blob" {
			continue
		}
		verified = true
		if got := positional(cmd, 2); len(got) != 1 || got[0] != c.Checksum.NameTemplate {
			t.Errorf("docs: verify-blob of %v, want %s", got, c.Checksum.NameTemplate)
		}
		if got := flag(cmd, "--bundle"); got != bundle {
			t.Errorf("docs: --bundle %q, want %s", got, bundle)
		}
		checkIdentity(t, "docs: cosign verify-blob", cmd, repo, w)
	}
	if !verified {
		t.Fatal("docs/install.md has no cosign verify-blob command")
	}
	var image bool
	for _, cmd := range blobs {
		if len(cmd) > 2 && cmd[1] == "verify" {
			image = true
			if !strings.HasPrefix(cmd[2], imageRepository+":v") {
				t.Errorf("docs: cosign verify %s, want the release's image %s:<tag>", cmd[2], imageRepository)
			}
			checkIdentity(t, "docs: cosign verify", cmd, repo, w)
		}
	}
	if !image {
		t.Error("docs/install.md does not say how to verify the image's signature")
	}

	gh := commands(docs, "gh")
	if len(gh) < 2 {
		t.Fatalf("docs/install.md: %d gh attestation verify commands, want one for an archive and one for the image", len(gh))
	}
	wantSigner := repo + "/" + workflowPath
	var archive, oci bool
	for _, cmd := range gh {
		if len(cmd) < 4 || cmd[1] != "attestation" || cmd[2] != "verify" {
			t.Errorf("docs: %v, want gh attestation verify", cmd)
			continue
		}
		subject := positional(cmd, 3)
		if len(subject) != 1 {
			t.Errorf("docs: gh attestation verify of %v", subject)
			continue
		}
		archive = archive || regexp.MustCompile(`^kubectl-mgi_[a-z]+_[a-z0-9]+\.(tar\.gz|zip)$`).MatchString(subject[0])
		oci = oci || strings.HasPrefix(subject[0], "oci://"+imageRepository+":v")
		if got := flag(cmd, "--repo"); got != repo {
			t.Errorf("docs: gh attestation verify --repo %q, want %s", got, repo)
		}
		if got := flag(cmd, "--signer-workflow"); got != wantSigner {
			t.Errorf("docs: gh attestation verify --signer-workflow %q, want %s", got, wantSigner)
		}
	}
	if !archive || !oci {
		t.Errorf("docs: gh attestation verify of an archive %v, of the image %v; want both", archive, oci)
	}
}

// checkIdentity: the command pins the certificate to the release
// workflow on a tag the workflow runs on, and to GitHub's issuer.
func checkIdentity(t *testing.T, what string, cmd []string, repo string, w workflow) {
	t.Helper()
	if got := flag(cmd, "--certificate-oidc-issuer"); got != oidcIssuer {
		t.Errorf("%s: --certificate-oidc-issuer %q, want %s", what, got, oidcIssuer)
	}
	id := flag(cmd, "--certificate-identity")
	tag, ok := strings.CutPrefix(id, identity(repo, ""))
	if !ok || tag == "" {
		t.Errorf("%s: --certificate-identity %q, want %s", what, id, identity(repo, "<tag>"))
		return
	}
	var runs bool
	for _, pattern := range w.On.Push.Tags {
		if m, err := path.Match(pattern, tag); err == nil && m {
			runs = true
		}
	}
	if !runs {
		t.Errorf("%s: tag %s, but the workflow runs on tags %v", what, tag, w.On.Push.Tags)
	}
}

// The release job may write what it publishes and nothing else; the
// workflow grants nothing by default.
func TestReleaseWorkflowPermissions(t *testing.T) {
	w := releaseWorkflow(t)
	if w.Permissions == nil || len(w.Permissions) != 0 {
		t.Errorf("top-level permissions %v, want {}", w.Permissions)
	}
	want := map[string]string{"contents": "write", "packages": "write", "id-token": "write", "attestations": "write"}
	for name, j := range w.Jobs {
		if len(j.Permissions) != len(want) {
			t.Errorf("job %s permissions %v, want %v", name, j.Permissions, want)
		}
		for k, v := range want {
			if j.Permissions[k] != v {
				t.Errorf("job %s: %s %q, want %s", name, k, j.Permissions[k], v)
			}
		}
	}
}

// Attestations cover every file in checksums.txt and the pushed image,
// and the workflow verifies them as docs/install.md does.
func TestReleaseWorkflowAttests(t *testing.T) {
	w := releaseWorkflow(t)
	var files, image bool
	for _, st := range w.steps() {
		if !strings.HasPrefix(st.Uses, "actions/attest-build-provenance@") {
			continue
		}
		if st.With["subject-checksums"] == "dist/checksums.txt" {
			files = true
		}
		if st.With["subject-name"] == imageRepository && st.With["subject-digest"] == "${{ steps.image.outputs.digest }}" && st.With["push-to-registry"] == true {
			image = true
		}
	}
	if !files || !image {
		t.Errorf("attestations of checksums.txt's files %v, of the image %v; want both", files, image)
	}
	i := w.stepIndex("gh attestation verify")
	if i < 0 || i < w.stepIndex("actions/attest-build-provenance@") {
		t.Fatalf("%s does not verify the attestations after making them", workflowPath)
	}
	for _, cmd := range commands(w.steps()[i].Run, "gh") {
		if got := flag(cmd, "--signer-workflow"); got != "$GITHUB_REPOSITORY/"+workflowPath {
			t.Errorf("workflow: %v: --signer-workflow %q, want $GITHUB_REPOSITORY/%s", cmd, got, workflowPath)
		}
	}
}

// goreleaser uploads to a draft, and the workflow publishes it only as its
// last step, after every verification: a release whose signature or
// attestations fail the user's checks never becomes visible.
func TestReleaseIsPublishedOnlyAfterItVerifies(t *testing.T) {
	if !goreleaser(t).Release.Draft {
		t.Errorf(".goreleaser.yaml: release.draft is false; want a draft that the workflow publishes after its checks")
	}
	w := releaseWorkflow(t)
	steps := w.steps()
	last := len(steps) - 1
	publish := w.stepIndex("gh release edit")
	if publish != last {
		t.Fatalf("%s: gh release edit is step %d, want the last step (%d)", workflowPath, publish, last)
	}
	if !strings.Contains(steps[publish].Run, "--draft=false") {
		t.Errorf("%s: publish step %q does not undraft the release", workflowPath, steps[publish].Run)
	}
	for _, check := range []string{"cosign verify-blob", "cosign verify ", "gh attestation verify"} {
		i := w.stepIndex(check)
		if i < 0 || i > publish {
			t.Errorf("%s: %q is step %d, want it before the publish step %d", workflowPath, check, i, publish)
		}
	}
}
