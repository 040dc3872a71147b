package gateway

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
)

// dumpSchema writes a schema as sorted lines, one per field path, for
// comparing two schemas and reading a difference.
func dumpSchema(s *strict.Schema, path string, out *[]string) {
	line := fmt.Sprintf("%s shape=%d min=%d max=%d rename=%s", path, s.Shape, s.Min, s.Max, s.Rename)
	*out = append(*out, line)
	switch s.Shape {
	case strict.ShapeObject:
		for k, f := range s.Fields {
			dumpSchema(f, path+"."+k, out)
		}
	case strict.ShapeMap, strict.ShapeList:
		dumpSchema(s.Elem, path+"[]", out)
	}
}

func schemaLines(s *strict.Schema) string {
	var out []string
	dumpSchema(s, "", &out)
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// The schemas derived from the typed structs carry what the hand-written
// ones did (they were compared line by line when they replaced them):
// integer ranges from the Go types, quantities, protobuf aliases at their
// level, empty objects, and nothing for an unknown field.
func TestSchemaDerivedFromTypes(t *testing.T) {
	lines := schemaLines(instanceSpecSchema) + "\n" + schemaLines(gatewaySchema.Fields["spec"])
	for _, want := range []string{
		fmt.Sprintf(".replicas shape=%d min=%d max=%d rename=", strict.ShapeInt, math.MinInt32, math.MaxInt32),
		fmt.Sprintf(".resources.limits[] shape=%d min=0 max=0 rename=", strict.ShapeQuantity),
		fmt.Sprintf(".resources.claims[].request shape=%d", strict.ShapeString),
		fmt.Sprintf(".podTemplate.spec.securityContext.fsGroup shape=%d min=%d max=%d", strict.ShapeInt, math.MinInt64, math.MaxInt64),
		fmt.Sprintf(".podTemplate.spec.container.securityContext.readOnlyRootFilesystem shape=%d", strict.ShapeBool),
		fmt.Sprintf(".conf.listeners[].port shape=%d min=0 max=%d rename=", strict.ShapeInt, math.MaxUint32),
		fmt.Sprintf(".conf.listeners[].resources.connection_limit shape=%d min=0 max=%d rename=connectionLimit", strict.ShapeInt, math.MaxUint32),
		fmt.Sprintf(".conf.listeners[].tls.certificates[].inline_string shape=%d min=0 max=0 rename=inlineString", strict.ShapeString),
		fmt.Sprintf(".conf.listeners[].tls.options shape=%d", strict.ShapeObject),
	} {
		if !strings.Contains(lines, want) {
			t.Errorf("derived schema lacks %q:\n%s", want, lines)
		}
	}
	if strings.Contains(lines, ".conf.listeners[].connection_limit") || strings.Contains(lines, ".status") {
		t.Errorf("derived schema holds fields the types do not:\n%s", lines)
	}
	if opts := gatewaySchema.Fields["spec"].Fields["conf"].Fields["listeners"].Elem.Fields["tls"].Fields["options"]; len(opts.Fields) != 0 {
		t.Errorf("tls.options must accept no field, got %v", opts.Fields)
	}
}
