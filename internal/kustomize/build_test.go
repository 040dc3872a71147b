package kustomize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const examples = "../../plugins/kustomize"

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Every object of the prod overlay points at the base file it came from,
// with that file's lines, also for a field the overlay's patch changed;
// the function's config is taken out with a note.
func TestRunTracesObjectsToTheirFiles(t *testing.T) {
	dir := filepath.Join(examples, "overlays", "prod")
	b, err := Run(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Namespace":           "../../plugins/kustomize/base/gateways/namespace.yaml:3:1",
		"MeshGateway":         "../../plugins/kustomize/base/gateways/meshgateway.yaml:3:1",
		"MeshGatewayInstance": "../../plugins/kustomize/base/gateways/instance.yaml:2:1",
	}
	if len(b.Objects) != len(want) {
		t.Fatalf("%d objects, want %d", len(b.Objects), len(want))
	}
	for _, n := range b.Objects {
		if got := source.Position(n).String(); got != want[n.GetKind()] {
			t.Errorf("%s at %q, want %q", n.GetKind(), got, want[n.GetKind()])
		}
		if _, ok := n.GetAnnotations()[originAnnotation]; ok {
			t.Errorf("%s: the origin annotation -k added was left on", n.GetKind())
		}
		if n.GetKind() == "MeshGatewayInstance" {
			// replicas: 4 comes from the overlay's patch; the line is the base's.
			if got := source.FieldPosition(n, "spec.replicas"); got.Line != 10 {
				t.Errorf("spec.replicas at line %d, want the base's line 10", got.Line)
			}
			if v, err := n.Pipe(yaml.Lookup("spec", "replicas")); err != nil || v == nil || v.YNode().Value != "4" {
				t.Errorf("spec.replicas = %v, want the overlay's 4", v)
			}
		}
	}
	if b.Function == nil || b.Function.GetKind() != "ControlPlaneConfig" {
		t.Fatalf("function config = %v, want the overlay's ControlPlaneConfig", b.Function)
	}
	if pos := source.Position(b.Function).String(); pos != "../../plugins/kustomize/overlays/prod/mgi.yaml:3:1" {
		t.Errorf("function config at %q", pos)
	}
	if len(b.Findings) != 1 || b.Findings[0].Rule != RuleFunctionTakenOut {
		t.Errorf("findings %v, want one %s", b.Findings, RuleFunctionTakenOut)
	}
}

// The kustomization's own wish for origin annotations is kept.
func TestRunKeepsOriginAnnotationsAskedFor(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "resources: [cm.yaml]\nbuildMetadata: [originAnnotations]\n",
		"cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
	})
	b, err := Run(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Objects) != 1 || !strings.Contains(b.Objects[0].GetAnnotations()[originAnnotation], "cm.yaml") {
		t.Errorf("origin annotation dropped: %v", b.Objects)
	}
}

func TestRunRefusals(t *testing.T) {
	fn := "apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata:\n  name: kuma\n"
	other := "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  a: b\nfieldSpecs:\n- path: metadata/labels\n  create: true\n"
	cases := map[string]struct {
		files map[string]string
		want  string
	}{
		"not last": {map[string]string{
			"kustomization.yaml": "transformers: [mgi.yaml, labels.yaml]\n", "mgi.yaml": fn, "labels.yaml": other,
		}, "not the last transformer"},
		"generator": {map[string]string{
			"kustomization.yaml": "generators: [mgi.yaml]\n", "mgi.yaml": fn,
		}, "-k does not run generators"},
		"inputs": {map[string]string{
			"kustomization.yaml": "transformers: [mgi.yaml]\n",
			"mgi.yaml":           strings.Replace(fn, "name: kuma\n", "name: kuma\n  annotations:\n    kubectl-mgi.kuma.io/inputs: gateways\n", 1),
		}, "list the inputs under resources:"},
		"shared file": {map[string]string{
			"kustomization.yaml": "transformers: [mgi.yaml]\n", "mgi.yaml": fn + "---\n" + other,
		}, "give its config a file of its own"},
		"two kustomizations": {map[string]string{
			"kustomization.yaml": "resources: []\n", "kustomization.yml": "resources: []\n",
		}, "kustomize refuses more than one"},
		"none":  {map[string]string{"cm.yaml": "a: b\n"}, "no kustomization.yaml"},
		"empty": {map[string]string{"kustomization.yaml": "# nothing yet\n"}, "is empty, which kustomize refuses"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, c.files)
			_, err := Run(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one saying %q", err, c.want)
			}
		})
	}
}

// A name prefix does not lose the source, and two objects of one kind in
// one file each find their own document.
func TestRunMatchesRenamedObjects(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "namePrefix: prod-\nresources: [cms.yaml]\n",
		"cms.yaml":           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
	})
	b, err := Run(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range b.Objects {
		pos := source.Position(n)
		want := map[string]int{"prod-b": 1, "prod-a": 6}[n.GetName()]
		if pos.Line != want || !strings.HasSuffix(pos.File, "/cms.yaml") {
			t.Errorf("%s at %s, want cms.yaml line %d", n.GetName(), pos, want)
		}
	}
}

// The function as the last transformer and again, in validate mode, as a
// validator (the layout docs/krm-function.md shows): both are taken out,
// and the transformer's config is the configuration.
func TestRunTransformerAndValidator(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"kustomization.yaml": "resources: [cm.yaml]\ntransformers: [mgi.yaml]\nvalidators: [check.yaml]\n",
		"cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"mgi.yaml":           "apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata:\n  name: kuma\n",
		"check.yaml":         "apiVersion: kubectl-mgi.kuma.io/v1alpha1\nkind: ControlPlaneConfig\nmetadata:\n  name: kuma-validate\n  annotations:\n    kubectl-mgi.kuma.io/mode: validate\n",
	})
	b, err := Run(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Function == nil || b.Function.GetName() != "kuma" || len(b.Findings) != 2 || len(b.Objects) != 1 {
		t.Errorf("function %v, findings %v, objects %d; want the transformer's config, two notes, one object", b.Function, b.Findings, len(b.Objects))
	}
}
