package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestImportFlags(t *testing.T) {
	var got *ImportOptions
	cmd := newImportCmd(genericiooptions.NewTestIOStreamsDiscard(), func(_ context.Context, o *ImportOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"./gw", "edge", "admin", "-n", "shop", "--group", "--force"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Dir != "./gw" || strings.Join(got.Names, ",") != "edge,admin" || *got.Kube.Namespace != "shop" || !got.Group || !got.Overwrite {
		t.Errorf("options: %+v", got)
	}
}

// writeImport writes every file or, when one exists and --overwrite is
// off, none.
func TestWriteImportRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	n := yaml.MustParse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"on\"\n")
	files := []importFile{{name: "a.yaml", nodes: []*yaml.RNode{n}}, {name: "b.yaml", nodes: []*yaml.RNode{n}}}
	if err := os.WriteFile(filepath.Join(dir, "b.yaml"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeImport(dir, files, false)
	if err == nil || !strings.Contains(err.Error(), "b.yaml: exists already; nothing was written. Pass --overwrite") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.yaml")); !os.IsNotExist(err) {
		t.Error("a.yaml was written although b.yaml exists")
	}
	if err := writeImport(dir, files, true); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "b.yaml"))
	if string(b) != "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"on\"\n" {
		t.Errorf("b.yaml = %q", b)
	}
}
