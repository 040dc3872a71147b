// Command kubectl-mgi is the kubectl plugin `kubectl mgi`. main only builds
// the IO streams and the root command, and turns the result into an exit
// status (internal/cli decides which).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cli"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	err := cli.NewRootCmd(streams).ExecuteContext(ctx)
	stop()
	code, print := cli.ExitCode(err)
	if print {
		fmt.Fprintln(os.Stderr, "error:", err)
	}
	os.Exit(code)
}
