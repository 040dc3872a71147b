// Command gen writes a benchmark directory (see internal/benchgen) and, with
// -helm-values, the values file that makes hack/bench/helm-chart template
// the same instances' Deployments and Services.
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
	values := flag.String("helm-values", "", "also write the helm chart's values file for the same instances to this path")
	flag.Parse()
	if (*out == "" && *values == "") || *n < 1 || *perFile < 1 {
		fmt.Fprintln(os.Stderr, "usage: gen -n N [-out DIR] [-per-file K] [-helm-values FILE] (at least one of -out and -helm-values)")
		os.Exit(2)
	}
	if *out != "" {
		if err := benchgen.Write(*out, *n, *perFile); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	if *values != "" {
		if err := benchgen.WriteHelmValues(*values, *n); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
