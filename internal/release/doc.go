// Package release holds the tests of what a release publishes. In `make
// test`: the release configuration in .goreleaser.yaml (platforms, keyless
// signing of checksums.txt, SBOMs), the release workflow (its verify steps
// use the bundle goreleaser writes and the workflow's own identity, its
// permissions, its attestations) and the verification commands of
// docs/install.md. After `make release-check` (MGI_RELEASE_DIST set to its
// dist folder): the SBOMs of the real archives and the sign call goreleaser
// made to the offline stand-in for cosign in testdata/bin. The image's tests
// are in hack/image, the module that builds it.
package release
