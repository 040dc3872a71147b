package cli

import (
	"os"
	"path/filepath"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// A failing command still writes its profile: the run that fails is often
// the one to look into, and cobra skips PersistentPostRunE on error.
func TestProfileWrittenWhenTheCommandFails(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: gw}\nspec: {replicas: 0}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"cpu", "heap"} {
		t.Run(kind, func(t *testing.T) {
			out := filepath.Join(dir, kind+".pprof")
			root := NewRootCmd(genericiooptions.NewTestIOStreamsDiscard())
			root.SetArgs([]string{"validate", bad, "--profile", kind, "--profile-output", out})
			if err := root.Execute(); err == nil {
				t.Fatal("validate of an invalid instance succeeded")
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("no profile after a failing run: %v", err)
			}
			// pprof writes gzip-compressed protobuf.
			if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
				t.Fatalf("%s is not a pprof profile (%d bytes)", out, len(b))
			}
		})
	}
}

func TestProfileRejectsUnknownKind(t *testing.T) {
	root := NewRootCmd(genericiooptions.NewTestIOStreamsDiscard())
	root.SetArgs([]string{"version", "--profile", "mutex"})
	if err := root.Execute(); err == nil || err.Error() != `--profile "mutex" is not supported; use none, cpu or heap` {
		t.Fatalf("err = %v", err)
	}
}
