package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func TestFnFlags(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	cmd := NewFnCmd(streams)
	if err := cmd.ParseFlags([]string{"-n", "shop"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := cmd.Flags().GetString("namespace"); got != "shop" {
		t.Errorf("namespace = %q", got)
	}
	if err := cmd.Args(cmd, []string{"dir"}); err == nil {
		t.Error("fn takes its input on stdin; a positional argument must be refused")
	}
}

const fnWarning = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: kuma.io/v1alpha1
  kind: MeshGatewayInstance
  metadata:
    name: lonely
    namespace: shop
    annotations:
      config.kubernetes.io/path: gw.yaml
  spec:
    replicas: 1
`

func TestRunFnWarningsExitZero(t *testing.T) {
	out, errOut := runFnWith(t, fnWarning)
	if err := out.err; err != nil {
		t.Fatalf("warnings must not fail: %v", err)
	}
	if !strings.HasPrefix(out.stdout, "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n") || !strings.Contains(out.stdout, "severity: warning") {
		t.Errorf("stdout:\n%s", out.stdout)
	}
	want := "gw.yaml: warning: MeshGatewayInstance/shop/lonely: spec.tags: "
	if !strings.HasPrefix(errOut, want) || !strings.HasSuffix(errOut, "[NoGatewayMatched]\n") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("stderr = %q, want one line starting %q", errOut, want)
	}
}

func TestRunFnErrorsExitOne(t *testing.T) {
	bad := strings.Replace(fnWarning, "replicas: 1", "replicas: 0", 1)
	out, errOut := runFnWith(t, bad)
	code, print := ExitCode(out.err)
	if code != ExitError || print {
		t.Fatalf("exit code %d (print %v), want 1 with the findings already on stderr", code, print)
	}
	if !strings.Contains(out.stdout, "severity: error") || !strings.Contains(out.stdout, "kind: MeshGatewayInstance") {
		t.Errorf("stdout must hold the unexpanded items and the error result:\n%s", out.stdout)
	}
	if !strings.Contains(errOut, "[InvalidReplicas]") || !strings.HasSuffix(errOut, "1 error: the items were returned unexpanded; fix the inputs above and run again\n") {
		t.Errorf("stderr = %q", errOut)
	}
}

func TestRunFnRefusesABareStream(t *testing.T) {
	out, errOut := runFnWith(t, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n")
	code, print := ExitCode(out.err)
	if code != ExitError || !print || !strings.Contains(out.err.Error(), "kubectl mgi render") {
		t.Fatalf("err = %v (code %d, print %v)", out.err, code, print)
	}
	if out.stdout != "" || errOut != "" {
		t.Errorf("nothing may be written: stdout %q stderr %q", out.stdout, errOut)
	}
}

type fnResult struct {
	stdout string
	err    error
}

func runFnWith(t *testing.T, stdin string) (fnResult, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	o := &FnOptions{
		IO:        genericiooptions.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut},
		Namespace: "default",
		WorkDir:   t.TempDir(),
	}
	err := runFn(context.Background(), o)
	return fnResult{out.String(), err}, errOut.String()
}
