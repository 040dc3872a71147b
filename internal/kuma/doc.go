// Package kuma holds what differs between the Kuma releases the tool can
// build for: one Release profile per release line, in one table
// (releases.go) that reads like docs/kuma-versions.md. The expansion and
// the admission rules ask the profile, never a version number, so adding a
// release is one entry in that table.
package kuma
