// Command gen writes a benchmark directory (see internal/benchgen).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kubectl-mgi/kubectl-mgi/internal/benchgen"
)

func main() {
	n := flag.Int("n", 1000, "number of MeshGatewayInstances")
	out := flag.String("out", "", "directory to write (created)")
	perFile := flag.Int("per-file", 100, "instances per file")
	flag.Parse()
	if *out == "" || *n < 1 || *perFile < 1 {
		fmt.Fprintln(os.Stderr, "usage: gen -n N -out DIR [-per-file K]")
		os.Exit(2)
	}
	if err := benchgen.Write(*out, *n, *perFile); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
