package citest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cli"
	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// env is the package's one API server, with the Kuma CRDs installed.
var env *testenv.Env

func TestMain(m *testing.M) {
	var err error
	if env, err = testenv.Start(testenv.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, "internal/citest:", err)
		os.Exit(1)
	}
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the test API server:", err)
	}
	os.Exit(code)
}

// cleanups run after all tests: for what tests share (the release build).
var cleanups []func()

// repoRoot is the repository's top folder.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// mgi runs `kubectl mgi ARGS` in-process, as main does, and returns stdout,
// stderr and the exit code.
func mgi(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	root := cli.NewRootCmd(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	code, print := cli.ExitCode(err)
	if print {
		errOut.WriteString("error: " + err.Error() + "\n")
	}
	return out.String(), errOut.String(), code
}

// serverSideApply applies YAML documents as the admin with the given field
// manager, forcing conflicts: it sets up the cluster state a test starts
// from, the way another tool (kuma-cp, kubectl) would have written it.
func serverSideApply(t *testing.T, manager, docs string) {
	t.Helper()
	ctx := context.Background()
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	dyn, err := dynamic.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	force := true
	for _, u := range decodeDocs(t, docs) {
		gvk := u.GroupVersionKind()
		m, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			t.Fatalf("%s: %v", gvk, err)
		}
		body, err := u.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		ri := dyn.Resource(m.Resource)
		var r dynamic.ResourceInterface = ri
		if u.GetNamespace() != "" {
			r = ri.Namespace(u.GetNamespace())
		}
		if _, err := r.Patch(ctx, u.GetName(), types.ApplyPatchType, body, metav1.PatchOptions{FieldManager: manager, Force: &force}); err != nil {
			t.Fatalf("applying %s/%s as %s: %v", u.GetKind(), u.GetName(), manager, err)
		}
	}
}

func decodeDocs(t *testing.T, docs string) []*unstructured.Unstructured {
	t.Helper()
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader([]byte(docs)), 4096)
	var out []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		if err := d.Decode(&u.Object); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}

// readFile reads a file under the repository root.
func readFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustContain fails for each want that s lacks.
func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

// mustNotContain fails for each bad that s holds.
func mustNotContain(t *testing.T, what, s string, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if strings.Contains(s, b) {
			t.Errorf("%s holds %q:\n%s", what, b, s)
		}
	}
}
