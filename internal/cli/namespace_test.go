package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// TestNamespaceRule: render and validate give an instance without a
// namespace the same namespace plan and apply do: -n, else the kubeconfig
// context's namespace (the file is only read), else default.
func TestNamespaceRule(t *testing.T) {
	dir := t.TempDir()
	kubeconfig := filepath.Join(dir, "kubeconfig")
	cfg := `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts:
- {name: team, context: {cluster: c, user: u, namespace: team}}
- {name: plain, context: {cluster: c, user: u}}
current-context: team
`
	if err := os.WriteFile(kubeconfig, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	in := "apiVersion: kuma.io/v1alpha1\nkind: MeshGatewayInstance\nmetadata: {name: edge}\nspec: {}\n"
	for _, tc := range []struct {
		name  string
		input InputFlags
		want  string
	}{
		{"-n wins", InputFlags{Namespace: "shop", Kubeconfig: kubeconfig}, "shop"},
		{"the context's namespace", InputFlags{Kubeconfig: kubeconfig}, "team"},
		{"a context without one", InputFlags{Kubeconfig: kubeconfig, Context: "plain"}, "default"},
		{"no kubeconfig", InputFlags{Kubeconfig: filepath.Join(dir, "missing")}, "default"},
	} {
		var out, errOut bytes.Buffer
		o := &ValidateOptions{IO: genericiooptions.IOStreams{In: strings.NewReader(in), Out: &out, ErrOut: &errOut}, Paths: []string{"-"}, Input: tc.input, Output: "text"}
		_ = runValidate(context.Background(), o)
		if want := "go to namespace " + tc.want + ":"; !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "[ImplicitNamespace]") {
			t.Errorf("%s: validate says\n%s\nwant %q", tc.name, out.String(), want)
		}
	}
}
