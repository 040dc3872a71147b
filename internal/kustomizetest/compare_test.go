package kustomizetest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/kio"
	sigyaml "sigs.k8s.io/yaml"
)

// kustomizeBuild runs `kustomize build --enable-alpha-plugins --enable-exec
// dir` with the kubectl-mgi under test first on PATH (the examples name it
// by its bare name, as users do), and returns stdout.
func kustomizeBuild(t *testing.T, dir string) string {
	t.Helper()
	mgi := mgiBinary(t)
	cmd := exec.Command(kustomizeBinary(t), "build", "--enable-alpha-plugins", "--enable-exec", dir)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(mgi)+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("kustomize build %s: %v\n%s", dir, err, errOut.String())
	}
	return out.String()
}

// render runs `kubectl-mgi render args...` and returns stdout, failing the
// test when render fails.
func render(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := renderMaybe(t, args...)
	if err != nil {
		t.Fatalf("kubectl-mgi render %s: %v\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

func renderMaybe(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(mgiBinary(t), append([]string{"render"}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return out.String(), errOut.String(), err
}

// sameObjects compares two YAML streams as sets of objects, byte for byte
// once each object is re-encoded with sorted keys and the objects are
// sorted. kustomize itself re-encodes every object with sorted keys and
// drops comments, so field order and comments cannot be compared; every
// key, value and object can.
func sameObjects(t *testing.T, what, kustomized, rendered string) {
	t.Helper()
	got, want := canonical(t, kustomized), canonical(t, rendered)
	if got != want {
		t.Errorf("%s: kustomize build and kubectl mgi render differ\n--- render\n%s\n--- kustomize\n%s", what, want, got)
	}
	if strings.TrimSpace(want) == "" {
		t.Errorf("%s: render produced no objects; the comparison proves nothing", what)
	}
}

func canonical(t *testing.T, stream string) string {
	t.Helper()
	nodes, err := (&kio.ByteReader{Reader: strings.NewReader(stream), OmitReaderAnnotations: true}).Read()
	if err != nil {
		t.Fatalf("reading YAML: %v\n%s", err, stream)
	}
	docs := make([]string, 0, len(nodes))
	for _, n := range nodes {
		j, err := n.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		y, err := sigyaml.JSONToYAML(j)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(y))
	}
	sort.Strings(docs)
	return strings.Join(docs, "---\n")
}
