package gateway

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/codec"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// parse reads one YAML document, failing the test if it does not parse.
func parse(t *testing.T, doc string) *yaml.RNode {
	t.Helper()
	rn, err := yaml.Parse(strings.TrimLeft(doc, "\n"))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, doc)
	}
	return rn
}

func mustInstance(t *testing.T, doc string) *Instance {
	t.Helper()
	inst, fs := DecodeInstance(parse(t, doc))
	if len(fs) > 0 {
		t.Fatalf("decode instance: unexpected findings:\n%s", dump(fs))
	}
	return inst
}

func mustGateway(t *testing.T, doc string) *Gateway {
	t.Helper()
	gw, fs := DecodeGateway(parse(t, doc))
	if len(fs) > 0 {
		t.Fatalf("decode gateway: unexpected findings:\n%s", dump(fs))
	}
	return gw
}

// dump is one finding per line, with its line number, for failure output.
func dump(fs finding.List) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String() + " (line " + strconv.Itoa(f.Pos.Line) + ")\n")
	}
	return b.String()
}

// toYAML renders a typed object through Encode.
func toYAML(t *testing.T, obj runtime.Object) string {
	t.Helper()
	rn, err := codec.Encode(obj)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	s, err := rn.String()
	if err != nil {
		t.Fatalf("encode string: %v", err)
	}
	return s
}
