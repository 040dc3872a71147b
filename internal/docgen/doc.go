// Package docgen writes the reference pages that are generated from code:
// one Markdown page per command (docs/commands) from the cobra tree, and the
// table of validation rules (docs/rules.md) from the rule lists of the
// packages that report findings. `make docs` runs it through cmd/docgen;
// the tests regenerate into a temporary folder and fail when the committed
// pages differ, so the docs cannot drift from the code.
package docgen
