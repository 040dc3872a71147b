package cli

import (
	"context"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// -k fills the options of the four commands that read inputs, and is
// exclusive with paths.
func TestKustomizeFlag(t *testing.T) {
	if o := capture(t, newRenderCmd, "-k", "overlays/prod"); o.Input.Kustomization != "overlays/prod" || len(o.Paths) != 0 {
		t.Errorf("render options %+v", o)
	}
	if o := capture(t, newValidateCmd, "--kustomize", "overlays/prod"); o.Input.Kustomization != "overlays/prod" {
		t.Errorf("validate options %+v", o)
	}
	if o := capture(t, newPlanCmd, "-k", "overlays/prod"); o.Cluster.Kustomization != "overlays/prod" {
		t.Errorf("plan options %+v", o)
	}
	if o := capture(t, newApplyCmd, "-k", "overlays/prod"); o.Cluster.Kustomization != "overlays/prod" {
		t.Errorf("apply options %+v", o)
	}
	for _, args := range [][]string{{}, {"-k", "overlays/prod", "gateways"}} {
		cmd := newRenderCmd(genericiooptions.NewTestIOStreamsDiscard(), func(context.Context, *RenderOptions) error { return nil })
		cmd.SetArgs(args)
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "-k") {
			t.Errorf("render %v: err = %v, want one naming -k", args, err)
		}
	}
}

// validate -k names the base's file and line for a value the base holds,
// and the overlay's function config file for a bad config key.
func TestValidateKustomizeNamesSourceFiles(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "../../plugins/kustomize", dir)
	replaceIn(t, dir+"/base/gateways/meshgateway.yaml", "port: 443", "port: 70000")
	replaceIn(t, dir+"/overlays/staging/mgi.yaml", "drainTime: 10s", "drainTme: 10s")
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	o := &ValidateOptions{IO: streams, Output: "text", Input: InputFlags{Kustomization: dir + "/overlays/staging", Namespace: "default"}}
	if err := runValidate(context.Background(), o); err == nil {
		t.Fatal("validate -k succeeded on invalid input")
	}
	got := strings.ReplaceAll(out.String(), dir+"/", "")
	for _, want := range []string{
		"base/gateways/meshgateway.yaml:17:15: error: MeshGateway/edge-gateway: spec.conf.listeners[1].port: port 70000 is not in 1..65535",
		"overlays/staging/mgi.yaml:",
		`data.drainTme: unknown key "drainTme"`,
		"[FunctionTakenOut]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("validate -k output lacks %q:\n%s", want, got)
		}
	}
}
