package codec

import (
	"encoding/binary"
	"math"
	"reflect"
	"slices"
)

// appendKey appends to b a byte string that identifies v: every field
// (unexported ones too) and everything it points to, strings and lists
// length-prefixed, map entries in key order, nil marked apart from empty.
// Two values of one type get the same key only when they hold the same
// values, so a pod spec's key finds its shared node without a second
// comparison. It replaces the spec's JSON text, which cost a json.Marshal
// of every Deployment's spec just to look it up. ok is false for what it
// cannot key exactly (interfaces, maps with keys that are not strings,
// funcs): such a spec is then encoded without sharing.
func appendKey(b []byte, v reflect.Value, depth int) ([]byte, bool) {
	if depth > 64 {
		return b, false
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0), true
		}
		return appendKey(append(b, 1), v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			var ok bool
			if b, ok = appendKey(b, v.Field(i), depth+1); !ok {
				return b, false
			}
		}
		return b, true
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(b, 0), true
		}
		b = binary.AppendUvarint(append(b, 1), uint64(v.Len()))
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return append(b, v.Bytes()...), true
		}
		for i := 0; i < v.Len(); i++ {
			var ok bool
			if b, ok = appendKey(b, v.Index(i), depth+1); !ok {
				return b, false
			}
		}
		return b, true
	case reflect.Map:
		if v.IsNil() {
			return append(b, 0), true
		}
		if v.Type().Key().Kind() != reflect.String {
			return b, false
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int {
			switch xs, ys := x.String(), y.String(); {
			case xs < ys:
				return -1
			case xs > ys:
				return 1
			}
			return 0
		})
		b = binary.AppendUvarint(append(b, 1), uint64(len(keys)))
		for _, k := range keys {
			var ok bool
			b = appendString(b, k.String())
			if b, ok = appendKey(b, v.MapIndex(k), depth+1); !ok {
				return b, false
			}
		}
		return b, true
	case reflect.String:
		return appendString(b, v.String()), true
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1), true
		}
		return append(b, 0), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return binary.AppendUvarint(b, v.Uint()), true
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float())), true
	}
	return b, false
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
