// Command sameobjects compares the Deployments and Services of two YAML
// streams object by object: `kubectl-mgi render` output and `helm template`
// output of hack/bench/helm-chart. It says how many objects are
// byte-identical, how many are equal only once parsed (same fields and
// values, different spelling), how many differ and how many are on one side
// only, and shows the first difference. The order of the objects does not
// matter; helm's "# Source:" comment lines are ignored.
//
// Usage: sameobjects RENDER.yaml HELM.yaml (exit 1 when any object differs
// or is missing).
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sameobjects RENDER.yaml HELM.yaml")
		os.Exit(2)
	}
	render, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sameobjects:", err)
		os.Exit(2)
	}
	helm, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sameobjects:", err)
		os.Exit(2)
	}
	r, err := compare(render, helm)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sameobjects:", err)
		os.Exit(2)
	}
	fmt.Println(r.summary())
	if r.first != "" {
		fmt.Print(r.first)
	}
	if !r.same() {
		os.Exit(1)
	}
}
