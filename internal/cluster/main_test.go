package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/dynamic"

	"github.com/kubectl-mgi/kubectl-mgi/internal/diff"
	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

// env is the package's one API server, with the Kuma CRDs installed.
var env *testenv.Env

func TestMain(m *testing.M) {
	var err error
	if env, err = testenv.Start(testenv.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, "internal/cluster tests:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the test API server:", err)
	}
	os.Exit(code)
}

// flagsFor is kubectl's flags pointing at a kubeconfig file.
func flagsFor(kubeconfig string) *genericclioptions.ConfigFlags {
	f := genericclioptions.NewConfigFlags(false)
	f.KubeConfig = &kubeconfig
	return f
}

func newClient(t *testing.T, kubeconfig string) *Client {
	t.Helper()
	c, err := New(context.Background(), flagsFor(kubeconfig), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// namespace gives the test its own namespace.
func namespace(t *testing.T) string {
	t.Helper()
	ns, err := env.Namespace(context.Background(), t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// objects decodes YAML documents, with NS replaced by ns, into Objects whose
// Source is doc:N.
func objects(t *testing.T, ns, docs string) []Object {
	t.Helper()
	d := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader([]byte(strings.ReplaceAll(docs, "NS", ns))), 4096)
	var out []Object
	for i := 0; ; i++ {
		u := &unstructured.Unstructured{}
		if err := d.Decode(&u.Object); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if len(u.Object) > 0 {
			out = append(out, Object{Unstructured: u, Source: fmt.Sprintf("doc:%d", i)})
		}
	}
}

// admin is a dynamic client outside the code under test, to set up and
// check the cluster.
func admin(t *testing.T) dynamic.Interface {
	t.Helper()
	d, err := dynamic.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// normalizedYAML is how plan shows an object.
func normalizedYAML(t *testing.T, u *unstructured.Unstructured) string {
	t.Helper()
	s, err := diff.ToYAML(diff.Normalize(u))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
