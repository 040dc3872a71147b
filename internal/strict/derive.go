package strict

import (
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// Of derives the schema of a typed struct, so that a field is declared
// once, in its Go type: its JSON name comes from the json tag, its shape
// from the Go type. A field that protobuf JSON also accepts under its
// protobuf name says so with an alias tag (`alias:"connection_limit"`).
// Unexported fields are not part of the input and are skipped. It panics on
// a Go type it cannot describe, which a test (and the package's first use)
// catches at once.
func Of(t reflect.Type) *Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[resource.Quantity]() {
		return Quantity
	}
	switch t.Kind() {
	case reflect.String:
		return String
	case reflect.Bool:
		return Bool
	case reflect.Int32:
		return Int32
	case reflect.Int64:
		return Int64
	case reflect.Uint32:
		return Uint32
	case reflect.Slice:
		return ListOf(Of(t.Elem()))
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("strict.Of %s: map keys must be strings", t))
		}
		return MapOf(Of(t.Elem()))
	case reflect.Struct:
		fields := map[string]*Schema{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				panic(fmt.Sprintf("strict.Of %s.%s: every field needs a json name", t, f.Name))
			}
			fs := Of(f.Type)
			fields[name] = fs
			if a := f.Tag.Get("alias"); a != "" {
				// Two spellings of a map or list would have to merge
				// (Decode stores into the field as it goes); none exists.
				if fs.Shape == ShapeObject || fs.Shape == ShapeMap || fs.Shape == ShapeList {
					panic(fmt.Sprintf("strict.Of %s.%s: an alias spelling only for a single value", t, f.Name))
				}
				fields[a] = Alias(fs, name)
			}
		}
		return Object(fields)
	}
	panic(fmt.Sprintf("strict.Of %s: no schema for this kind of Go value", t))
}
