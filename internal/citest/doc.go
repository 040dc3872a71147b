// Package citest holds the end-to-end tests of the pre-merge checks
// (plugins/ci, docs/ci.md): `plan -o markdown` against a real API server,
// the RBAC that plan needs, and the GitHub Action's script steps run
// locally. It has no code of its own; its tests share one test API server
// (TestMain) so that the internal/cli package needs none.
package citest
