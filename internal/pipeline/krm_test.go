package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestRunFunctionRefusesWhatIsNotAResourceList(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"bare stream": {"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n", "not a ResourceList"},
		"a List":      {"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n", "not a ResourceList"},
		"old version": {"apiVersion: config.kubernetes.io/v1alpha1\nkind: ResourceList\nitems: []\n", `"config.kubernetes.io/v1alpha1" is not supported`},
		"bad yaml":    {"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [\n", "ResourceList"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := RunFunction(strings.NewReader(c.in), &out, &Function{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout must stay empty on refused input, got:\n%s", out.String())
			}
		})
	}
}

func TestRunFunctionMissingGeneratorInput(t *testing.T) {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
functionConfig:
  apiVersion: kubectl-mgi.kuma.io/v1alpha1
  kind: ControlPlaneConfig
  metadata:
    name: kuma
    annotations:
      kubectl-mgi.kuma.io/inputs: " nowhere , "
`
	var out bytes.Buffer
	fs, err := RunFunction(strings.NewReader(in), &out, &Function{WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != RuleInvalidFunctionConfig || fs[0].Severity != finding.Error {
		t.Fatalf("findings = %v, want one InvalidFunctionConfig error", fs)
	}
	// The temporary directory must not leak into the message: paths are
	// the kustomization's.
	if msg := fs[0].Message; !strings.Contains(msg, "nowhere") || strings.Contains(msg, "/tmp") {
		t.Errorf("message = %q, want the relative path only", msg)
	}
	if !strings.Contains(out.String(), "severity: error") || !strings.Contains(out.String(), "metadata.annotations.kubectl-mgi.kuma.io/inputs") {
		t.Errorf("the ResourceList lacks the error result:\n%s", out.String())
	}
}

func TestRunFunctionEmptyListAndNullConfig(t *testing.T) {
	for _, in := range []string{
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: {}\n",
		"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig: null\n",
	} {
		var out bytes.Buffer
		fs, err := RunFunction(strings.NewReader(in), &out, &Function{})
		if err != nil || len(fs) != 0 {
			t.Fatalf("%q: findings %v, err %v", in, fs, err)
		}
		if !strings.HasPrefix(out.String(), "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n") {
			t.Errorf("%q: output is not a v1 ResourceList:\n%s", in, out.String())
		}
	}
}

func TestRunFunctionDropsUpstreamResults(t *testing.T) {
	in := `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items: []
results:
- message: from an earlier function
  severity: warning
`
	var out bytes.Buffer
	if _, err := RunFunction(strings.NewReader(in), &out, &Function{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "earlier function") {
		t.Errorf("another function's results were repeated:\n%s", out.String())
	}
}

func TestGeneratedPath(t *testing.T) {
	n := mustParse(t, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: edge\n  namespace: shop\n")
	if got := generatedPath("gateways/edge.yaml", n); got != "gateways/edge.shop.deployment.yaml" {
		t.Errorf("generatedPath = %q", got)
	}
	if got := generatedPath("", n); got != "edge.shop.deployment.yaml" {
		t.Errorf("generatedPath without a file = %q", got)
	}
}

func mustParse(t *testing.T, s string) *yaml.RNode {
	t.Helper()
	n, err := yaml.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// FuzzFunction: no ResourceList makes the function panic, and whatever it
// accepts it answers the same way twice. Seeds are the KRM golden inputs.
func FuzzFunction(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(krmRoot, "*", "input.yaml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [1, [2], {a: b}]\nfunctionConfig: 5\n"))
	f.Add([]byte("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: kuma.io/v1alpha1\n  kind: MeshGatewayInstance\n  metadata: {name: [x]}\n  spec: 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a, b bytes.Buffer
		fa, errA := RunFunction(bytes.NewReader(data), &a, &Function{WorkDir: t.TempDir()})
		fb, errB := RunFunction(bytes.NewReader(data), &b, &Function{WorkDir: t.TempDir()})
		if (errA == nil) != (errB == nil) || a.String() != b.String() || len(fa) != len(fb) {
			t.Fatalf("two runs differ:\n%s\n---\n%s", a.String(), b.String())
		}
	})
}
