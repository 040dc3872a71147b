// Command docgen regenerates the docs that come from code: docs/commands
// (one page per command) and docs/rules.md. `make docs` runs it; the tests
// of internal/docgen fail when the committed files are stale.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cli"
	"github.com/kubectl-mgi/kubectl-mgi/internal/docgen"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func main() {
	out := flag.String("out", "docs", "docs folder to write commands/ and rules.md into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	root := cli.NewRootCmd(genericiooptions.NewTestIOStreamsDiscard())
	pages, err := docgen.CommandPages(root)
	if err != nil {
		return err
	}
	if err := docgen.WritePages(filepath.Join(dir, "commands"), pages); err != nil {
		return err
	}
	rules, err := docgen.RulesPage(docgen.Rules())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "rules.md"), rules, 0o644)
}
