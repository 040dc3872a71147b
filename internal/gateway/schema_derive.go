package gateway

import (
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// schemaOf derives the strict decoder's schema from a typed struct, so that
// a Kuma field is declared once, in types.go: its JSON name comes from the
// json tag, its shape from the Go type. A field that protobuf JSON also
// accepts under its protobuf name says so with an alias tag
// (`alias:"connection_limit"`). It panics on a Go type it cannot describe,
// which a test (and the package's first use) catches at once.
func schemaOf(t reflect.Type) *schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[resource.Quantity]() {
		return quantity
	}
	switch t.Kind() {
	case reflect.String:
		return str
	case reflect.Bool:
		return boolean
	case reflect.Int32:
		return int32s
	case reflect.Int64:
		return int64s
	case reflect.Uint32:
		return uint32s
	case reflect.Slice:
		return listOf(schemaOf(t.Elem()))
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("schemaOf %s: map keys must be strings", t))
		}
		return mapOf(schemaOf(t.Elem()))
	case reflect.Struct:
		fields := map[string]*schema{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" || !f.IsExported() {
				panic(fmt.Sprintf("schemaOf %s.%s: every field needs a json name", t, f.Name))
			}
			fs := schemaOf(f.Type)
			fields[name] = fs
			if a := f.Tag.Get("alias"); a != "" {
				fields[a] = alias(fs, name)
			}
		}
		return fieldsOf(fields)
	}
	panic(fmt.Sprintf("schemaOf %s: no schema for this kind of Go value", t))
}
