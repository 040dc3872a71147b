package codec

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"reflect"
)

// hashValue feeds v, every field (unexported ones too) and everything it
// points to, into h. Equal values hash equal; the Encoder confirms a match
// with equalValue, so a collision costs a comparison, never a wrong pod
// spec. It replaces the JSON text the pod specs were keyed by: a
// Deployment was marshalled to JSON once more just to look its spec up.
func hashValue(h *maphash.Hash, v reflect.Value, depth int) {
	if depth > 64 {
		h.WriteByte(0xff)
		return
	}
	var b [8]byte
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		h.WriteByte(1)
		hashValue(h, v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			hashValue(h, v.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		h.Write(binary.LittleEndian.AppendUint64(b[:0], uint64(v.Len())))
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			h.Write(v.Bytes())
			return
		}
		for i := 0; i < v.Len(); i++ {
			hashValue(h, v.Index(i), depth+1)
		}
	case reflect.Map:
		// Entries in any order: the sum of each entry's own hash.
		var sum uint64
		var e maphash.Hash
		e.SetSeed(h.Seed())
		for it := v.MapRange(); it.Next(); {
			e.Reset()
			hashValue(&e, it.Key(), depth+1)
			hashValue(&e, it.Value(), depth+1)
			sum += e.Sum64()
		}
		h.Write(binary.LittleEndian.AppendUint64(b[:0], uint64(v.Len())))
		h.Write(binary.LittleEndian.AppendUint64(b[:0], sum))
	case reflect.String:
		h.WriteString(v.String())
		h.WriteByte(0)
	case reflect.Bool:
		if v.Bool() {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		h.Write(binary.LittleEndian.AppendUint64(b[:0], uint64(v.Int())))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		h.Write(binary.LittleEndian.AppendUint64(b[:0], v.Uint()))
	case reflect.Float32, reflect.Float64:
		h.Write(binary.LittleEndian.AppendUint64(b[:0], math.Float64bits(v.Float())))
	default:
		h.WriteByte(byte(v.Kind()))
	}
}

// equalValue reports whether a and b (of one type) hold the same values,
// as hashValue sees them: reflect.DeepEqual's answer for the acyclic,
// func-free API types, without its bookkeeping (it was a tenth of render).
func equalValue(a, b reflect.Value, depth int) bool {
	if depth > 64 {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Pointer && a.Pointer() == b.Pointer() {
			return true
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return equalValue(a.Elem(), b.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !equalValue(a.Field(i), b.Field(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		if a.Type().Elem().Kind() == reflect.Uint8 {
			return string(a.Bytes()) == string(b.Bytes())
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValue(a.Index(i), b.Index(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !equalValue(it.Value(), bv, depth+1) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	}
	// Funcs, channels and the like are not in API types; never equal.
	return false
}
