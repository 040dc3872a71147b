// Command localcluster runs one command against a throwaway Kubernetes API
// server: it starts kube-apiserver and etcd from the envtest cache with the
// Kuma CRDs installed, runs the command with KUBECONFIG pointing at that
// server, stops the server and exits with the command's status.
//
//	go run ./hack/localcluster -- kubectl mgi apply docs/examples
//
// With -latency D, KUBECONFIG points at a TCP proxy on loopback that holds
// every chunk D each way (a round trip 2×D longer), as a cluster in another
// region would; LOCALCLUSTER_DIRECT_KUBECONFIG names the server itself.
//
//	go run ./hack/localcluster -latency 10ms -- hack/bench/latency.sh bin/kubectl-mgi
package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	var latency time.Duration
	if len(args) > 0 && strings.HasPrefix(args[0], "-latency") {
		v := strings.TrimPrefix(strings.TrimPrefix(args[0], "-latency"), "=")
		args = args[1:]
		if v == "" && len(args) > 0 {
			v, args = args[0], args[1:]
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			fmt.Fprintf(os.Stderr, "localcluster: -latency %q: give a duration such as 10ms\n", v)
			return 2
		}
		latency = d
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./hack/localcluster -- CMD [ARGS...]")
		return 2
	}
	env, err := testenv.Start(testenv.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "localcluster:", err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "localcluster: stopping the API server:", err)
		}
	}()
	kubeconfig := env.KubeconfigPath
	if latency > 0 {
		u, err := url.Parse(env.Host)
		if err != nil {
			fmt.Fprintln(os.Stderr, "localcluster:", err)
			return 1
		}
		p, err := startLatencyProxy(u.Host, latency)
		if err != nil {
			fmt.Fprintln(os.Stderr, "localcluster: latency proxy:", err)
			return 1
		}
		defer p.close()
		dir, err := os.MkdirTemp("", "localcluster-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "localcluster:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		if kubeconfig, err = proxiedKubeconfig(env.KubeconfigPath, p.addr(), dir); err != nil {
			fmt.Fprintln(os.Stderr, "localcluster:", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "localcluster: %s each way through %s\n", latency, p.addr())
	}
	fmt.Fprintf(os.Stderr, "localcluster: API server at %s (KUBECONFIG=%s)\n", env.Host, kubeconfig)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig, "LOCALCLUSTER_DIRECT_KUBECONFIG="+env.KubeconfigPath)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "localcluster:", err)
		return 1
	}
	// Pass Ctrl-C on to the command and still stop the server afterwards.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		for s := range sig {
			_ = cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "localcluster:", err)
		return 1
	}
}
