// Command localcluster runs one command against a throwaway Kubernetes API
// server: it starts kube-apiserver and etcd from the envtest cache with the
// Kuma CRDs installed, runs the command with KUBECONFIG pointing at that
// server, stops the server and exits with the command's status.
//
//	go run ./hack/localcluster -- kubectl mgi apply docs/examples
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
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
	fmt.Fprintf(os.Stderr, "localcluster: API server at %s (KUBECONFIG=%s)\n", env.Host, env.KubeconfigPath)

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "KUBECONFIG="+env.KubeconfigPath)
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
