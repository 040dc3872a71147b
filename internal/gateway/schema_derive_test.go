package gateway

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// dumpSchema writes a schema as sorted lines, one per field path, for
// comparing two schemas and reading a difference.
func dumpSchema(s *schema, path string, out *[]string) {
	line := fmt.Sprintf("%s shape=%d min=%d max=%d rename=%s", path, s.shape, s.min, s.max, s.rename)
	*out = append(*out, line)
	switch s.shape {
	case shapeObject:
		for k, f := range s.fields {
			dumpSchema(f, path+"."+k, out)
		}
	case shapeMap, shapeList:
		dumpSchema(s.elem, path+"[]", out)
	}
}

func schemaLines(s *schema) string {
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
	lines := schemaLines(instanceSpecSchema) + "\n" + schemaLines(gatewaySchema.fields["spec"])
	for _, want := range []string{
		fmt.Sprintf(".replicas shape=%d min=%d max=%d rename=", shapeInt, math.MinInt32, math.MaxInt32),
		fmt.Sprintf(".resources.limits[] shape=%d min=0 max=0 rename=", shapeQuantity),
		fmt.Sprintf(".resources.claims[].request shape=%d", shapeString),
		fmt.Sprintf(".podTemplate.spec.securityContext.fsGroup shape=%d min=%d max=%d", shapeInt, math.MinInt64, math.MaxInt64),
		fmt.Sprintf(".podTemplate.spec.container.securityContext.readOnlyRootFilesystem shape=%d", shapeBool),
		fmt.Sprintf(".conf.listeners[].port shape=%d min=0 max=%d rename=", shapeInt, math.MaxUint32),
		fmt.Sprintf(".conf.listeners[].resources.connection_limit shape=%d min=0 max=%d rename=connectionLimit", shapeInt, math.MaxUint32),
		fmt.Sprintf(".conf.listeners[].tls.certificates[].inline_string shape=%d min=0 max=0 rename=inlineString", shapeString),
		fmt.Sprintf(".conf.listeners[].tls.options shape=%d", shapeObject),
	} {
		if !strings.Contains(lines, want) {
			t.Errorf("derived schema lacks %q:\n%s", want, lines)
		}
	}
	if strings.Contains(lines, ".conf.listeners[].connection_limit") || strings.Contains(lines, ".status") {
		t.Errorf("derived schema holds fields the types do not:\n%s", lines)
	}
	if opts := gatewaySchema.fields["spec"].fields["conf"].fields["listeners"].elem.fields["tls"].fields["options"]; len(opts.fields) != 0 {
		t.Errorf("tls.options must accept no field, got %v", opts.fields)
	}
	for _, bad := range []any{map[int]string{}, struct{ NoTag string }{}, func() {}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("schemaOf(%T) did not refuse", bad)
				}
			}()
			schemaOf(reflect.TypeOf(bad))
		}()
	}
}
