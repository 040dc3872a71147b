// Command kubectl-mgi is the kubectl plugin `kubectl mgi`. main only builds
// the IO streams and the root command, and turns the result into an exit
// status (internal/cli decides which).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cli"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// memoryLimit is the soft memory limit when GOMEMLIMIT is not set. Go's
// collector otherwise lets the heap grow to twice what is live; with a soft
// limit it collects more often near the limit instead, which keeps a
// 10,000-instance render under 500 MB at almost no cost in time. It is
// soft: a larger input still runs, the collector just works harder.
const memoryLimit = 400 << 20

// gcPercent is the collector's GOGC when GOGC is not set. With the soft
// limit bounding the heap, the default (100) only makes the collector run
// more often below it: render of 10,000 instances collected 14 times,
// each time marking its ~200 MB of live objects, a third of its CPU. At
// 400 it collects 6 times within the same limit (the peak RSS does not
// change); a small run may keep up to five times its live heap, a few
// tens of MB.
const gcPercent = 400

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
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
