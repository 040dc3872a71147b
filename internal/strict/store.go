package strict

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Decode stores what it accepts into Go values as encoding/json would
// decode Walk's tree into them, without the tree and the JSON text.

// fieldsOf maps the json names of t's exported fields to their indexes.
func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.IsExported() && name != "" && name != "-" {
			m[name] = i
		}
	}
	fieldCache.Store(t, m)
	return m
}

var fieldCache sync.Map // reflect.Type → map[string]int

// mismatch reports a Go type that cannot hold what the schema accepts: a
// bug (Of derives schemas from the types), reported rather than panicking.
func (d Decoder) mismatch(p Path, what string, v reflect.Value) {
	d.add(InvalidType, p, "cannot be read: decoding %s: %s does not fit in Go's %s", p, what, v.Type())
}

// The store functions put a valid scalar into v as encoding/json would:
// nothing for the zero Value (only checked), the plain value into an any,
// through UnmarshalJSON or UnmarshalText where v's type has them, else
// into a Go value of the scalar's kind.

func (d Decoder) storeString(p Path, v reflect.Value, s string) {
	switch {
	case !v.IsValid():
	case isAny(v):
		v.Set(reflect.ValueOf(s))
	case unmarshalerOf(v) != nil:
		d.unmarshal(p, unmarshalerOf(v), s, v)
	case v.Kind() == reflect.String:
		v.SetString(s)
	default:
		d.mismatch(p, "a string", v)
	}
}

func (d Decoder) storeBool(p Path, v reflect.Value, b bool) {
	switch {
	case !v.IsValid():
	case isAny(v):
		v.Set(reflect.ValueOf(b))
	case unmarshalerOf(v) != nil:
		d.unmarshal(p, unmarshalerOf(v), b, v)
	case v.Kind() == reflect.Bool:
		v.SetBool(b)
	default:
		d.mismatch(p, "a boolean", v)
	}
}

func (d Decoder) storeInt(p Path, v reflect.Value, i int64) {
	switch k := v.Kind(); {
	case !v.IsValid():
	case isAny(v):
		v.Set(reflect.ValueOf(i))
	case unmarshalerOf(v) != nil:
		d.unmarshal(p, unmarshalerOf(v), i, v)
	case k >= reflect.Int && k <= reflect.Int64 && !v.OverflowInt(i):
		v.SetInt(i)
	case k >= reflect.Uint && k <= reflect.Uint64 && i >= 0 && !v.OverflowUint(uint64(i)):
		v.SetUint(uint64(i))
	default:
		d.mismatch(p, "the number "+strconv.FormatInt(i, 10), v)
	}
}

func isAny(v reflect.Value) bool { return v.Kind() == reflect.Interface && v.NumMethod() == 0 }

// unmarshalerOf is v's json.Unmarshaler or encoding.TextUnmarshaler, which
// encoding/json would use, or nil.
func unmarshalerOf(v reflect.Value) any {
	if !v.CanAddr() {
		return nil
	}
	switch u := v.Addr().Interface().(type) {
	case json.Unmarshaler:
		return u
	case encoding.TextUnmarshaler:
		return u
	}
	return nil
}

// unmarshal stores val through u, a json.Unmarshaler (given val as JSON)
// or an encoding.TextUnmarshaler (which takes only strings).
func (d Decoder) unmarshal(p Path, u, val any, v reflect.Value) {
	var err error
	switch u := u.(type) {
	case json.Unmarshaler:
		var b []byte
		if b, err = json.Marshal(val); err == nil {
			err = u.UnmarshalJSON(b)
		}
	case encoding.TextUnmarshaler:
		s, ok := val.(string)
		if !ok {
			d.mismatch(p, fmt.Sprintf("the value %v", val), v)
			return
		}
		err = u.UnmarshalText([]byte(s))
	}
	if err != nil {
		d.add(InvalidType, p, "cannot be read: decoding %s: %v", p, err)
	}
}
