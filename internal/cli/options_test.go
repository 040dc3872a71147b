package cli

import (
	"context"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// capture runs a command built with a runF that keeps the options instead
// of running: the flags are tested as the Options they fill, through
// cobra's real argument handling, without a cluster or a file.
func capture[O any](t *testing.T, build func(genericiooptions.IOStreams, func(context.Context, *O) error) *cobra.Command, args ...string) *O {
	t.Helper()
	var got *O
	cmd := build(genericiooptions.NewTestIOStreamsDiscard(), func(_ context.Context, o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if got == nil {
		t.Fatalf("%v: runF was not called", args)
	}
	return got
}

func TestOptionsFromFlags(t *testing.T) {
	t.Run("plan", func(t *testing.T) {
		o := capture(t, newPlanCmd,
			"a", "b", "-n", "shop", "--config", "cp.yaml", "--field-manager", "me", "-o", "json", "--detailed-exitcode", "--applyset", "gw")
		if len(o.Paths) != 2 || o.Paths[1] != "b" || *o.Cluster.Kube.Namespace != "shop" || o.Cluster.ConfigFile != "cp.yaml" ||
			o.Cluster.FieldManager != "me" || o.Output != "json" || !o.DetailedExit || o.ApplySet != "gw" || o.MarkdownMaxSize != 60000 {
			t.Errorf("plan options %+v", o)
		}
	})
	t.Run("apply", func(t *testing.T) {
		o := capture(t, newApplyCmd,
			"dir", "--force-conflicts", "--dry-run=server", "--applyset", "configmaps/gw", "--prune", "--wait", "--timeout", "90s")
		if len(o.Paths) != 1 || !o.ForceConflicts || o.DryRun != "server" || o.ApplySet != "configmaps/gw" || !o.Prune || !o.Wait ||
			o.Timeout != 90*time.Second || o.Cluster.FieldManager != "kubectl-mgi" {
			t.Errorf("apply options %+v", o)
		}
	})
	t.Run("render", func(t *testing.T) {
		o := capture(t, newRenderCmd,
			"-", "-o", "json", "--config", "cp.yaml")
		if len(o.Paths) != 1 || o.Paths[0] != "-" || o.Output != "json" || o.Input.ConfigFile != "cp.yaml" || o.Input.Namespace != "" {
			t.Errorf("render options %+v", o)
		}
	})
	t.Run("validate", func(t *testing.T) {
		o := capture(t, newValidateCmd,
			"dir", "-o", "github", "--strict", "-n", "edge")
		if o.Output != "github" || !o.Strict || o.Input.Namespace != "edge" {
			t.Errorf("validate options %+v", o)
		}
	})
	t.Run("fn", func(t *testing.T) {
		o := capture(t, newFnCmd, "-n", "edge")
		if o.Namespace != "edge" {
			t.Errorf("fn options %+v", o)
		}
	})
	t.Run("version", func(t *testing.T) {
		o := capture(t, newVersionCmd, "-o", "yaml")
		if o.Output != "yaml" {
			t.Errorf("version options %+v", o)
		}
	})
}
