package codec

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// typedNode builds the node tree of a typed value directly: the tree that
// encodeValue builds by marshalling the value to JSON, decoding the JSON
// into maps and pruning it (encodeValue stays the reference, and the way
// for anything this walk does not know, errUnsupported). It follows
// encoding/json's rules for the field names, omitempty and omitzero,
// embedded structs and json.Marshaler (Quantity, IntOrString, Time), and
// prunes on the way, so no JSON text, map or unused node is built.
// Generated objects spent half of their expansion in that round trip.

// errUnsupported says the value holds something typedNode leaves to the
// JSON round trip (TextMarshaler, non-string map keys, the ",string"
// option, ambiguous embedded field names).
var errUnsupported = errors.New("not supported by the direct encoder")

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	isZeroer      = reflect.TypeFor[interface{ IsZero() bool }]()
)

// typeInfo is what the walk needs to know of a type, worked out once:
// reflect's Implements is too slow to ask for every value.
type typeInfo struct {
	t    reflect.Type
	kind reflect.Kind
	// marshal is how the type is a json.Marshaler: itself (a value or
	// pointer receiver the value has), through its address, or not.
	marshal     marshalVia
	unsupported bool
	fields      []field   // a struct's JSON fields, sorted by name
	elem        *typeInfo // what a pointer, interface-free list or map holds
	bytes       bool      // a []byte, written as base64
	zeroer      int       // for omitzero: 0 none, 1 IsZero on the value, 2 on its address
}

type marshalVia int

const (
	notMarshaler marshalVia = iota
	marshalValue
	marshalAddr
)

// field is one JSON field of a struct type: where it is (an index path
// through embedded structs) and how it is written.
type field struct {
	name      string
	index     []int
	omitEmpty bool
	omitZero  bool
	info      *typeInfo
}

var (
	typeInfos   sync.Map // reflect.Type → *typeInfo, complete ones only
	typeInfosMu sync.Mutex
)

// infoOf is t's typeInfo. Recursive types are built under one lock and
// published whole.
func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	typeInfosMu.Lock()
	defer typeInfosMu.Unlock()
	building := map[reflect.Type]*typeInfo{}
	ti := buildInfo(t, building)
	for t, ti := range building {
		typeInfos.Store(t, ti)
	}
	return ti
}

func buildInfo(t reflect.Type, building map[reflect.Type]*typeInfo) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	if ti, ok := building[t]; ok {
		return ti
	}
	ti := &typeInfo{t: t, kind: t.Kind()}
	building[t] = ti
	switch {
	case t.Implements(jsonMarshaler):
		ti.marshal = marshalValue
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonMarshaler):
		ti.marshal = marshalAddr
	case t.Implements(textMarshaler), t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textMarshaler):
		ti.unsupported = true
	}
	switch {
	case t.Implements(isZeroer):
		ti.zeroer = 1
	case t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(isZeroer):
		ti.zeroer = 2
	}
	if ti.marshal != notMarshaler || ti.unsupported {
		return ti
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Array:
		ti.elem = buildInfo(t.Elem(), building)
	case reflect.Slice:
		ti.elem = buildInfo(t.Elem(), building)
		ti.bytes = t.Elem().Kind() == reflect.Uint8 && ti.elem.marshal == notMarshaler
	case reflect.Map:
		if t.Key().Kind() != reflect.String || t.Key().Implements(textMarshaler) {
			ti.unsupported = true
			break
		}
		ti.elem = buildInfo(t.Elem(), building)
	case reflect.Struct:
		var fs []field
		if collectFields(t, nil, &fs, 0) != nil {
			ti.unsupported = true
			break
		}
		sort.Slice(fs, func(i, j int) bool { return fs[i].name < fs[j].name })
		for i := range fs {
			if i > 0 && fs[i].name == fs[i-1].name {
				// encoding/json's dominance rules decide; leave it to it.
				ti.unsupported = true
			}
			fs[i].info = buildInfo(t.FieldByIndex(fs[i].index).Type, building)
		}
		ti.fields = fs
	case reflect.Interface, reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr, reflect.Float32, reflect.Float64:
	default:
		ti.unsupported = true
	}
	return ti
}

func collectFields(t reflect.Type, index []int, fs *[]field, depth int) error {
	if depth > 8 {
		return errUnsupported
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		at := append(append([]int(nil), index...), i)
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				// A nil embedded pointer would have to be skipped; none of
				// the API types has one.
				return errUnsupported
			}
			if ft.Kind() == reflect.Struct {
				if err := collectFields(ft, at, fs, depth+1); err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := field{name: name, index: at}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				f.omitEmpty = true
			case "omitzero":
				f.omitZero = true
			case "string":
				return errUnsupported
			}
		}
		*fs = append(*fs, f)
	}
	return nil
}

// typed is the pruned node of v, or nil when pruning drops it. key is the
// mapping key v sits under ("" in a list): emptyDir: {} is kept.
func (kk *keys) typed(v reflect.Value, ti *typeInfo, key string, depth int) (*yaml.Node, error) {
	if depth > 100 || ti.unsupported {
		return nil, errUnsupported
	}
	if ti.kind == reflect.Interface {
		if v.IsNil() {
			return nil, nil
		}
		e := v.Elem()
		return kk.typed(e, infoOf(e.Type()), key, depth+1)
	}
	if ti.kind == reflect.Pointer && v.IsNil() {
		return nil, nil
	}
	switch ti.marshal {
	case marshalValue:
		if ti.kind != reflect.Pointer && v.CanAddr() {
			// Through the address: boxing the value itself would copy it.
			return kk.marshaled(v.Addr().Interface().(json.Marshaler), key)
		}
		return kk.marshaled(v.Interface().(json.Marshaler), key)
	case marshalAddr:
		if !v.CanAddr() {
			// json then encodes by kind, whose details were not worked
			// out for this type. The API types' values are addressable.
			return nil, errUnsupported
		}
		return kk.marshaled(v.Addr().Interface().(json.Marshaler), key)
	}
	switch ti.kind {
	case reflect.Pointer:
		return kk.typed(v.Elem(), ti.elem, key, depth+1)
	case reflect.Struct:
		return kk.typedStruct(v, ti, key, depth)
	case reflect.Map:
		return kk.typedMap(v, ti, key, depth)
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if ti.bytes {
			return scalarNode(yaml.NodeTagString, base64.StdEncoding.EncodeToString(v.Bytes())), nil
		}
		return kk.typedList(v, ti, depth)
	case reflect.Array:
		return kk.typedList(v, ti, depth)
	case reflect.String:
		return scalarNode(yaml.NodeTagString, v.String()), nil
	case reflect.Bool:
		return scalarNode(yaml.NodeTagBool, strconv.FormatBool(v.Bool())), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalarNode(yaml.NodeTagInt, strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Uint() > math.MaxInt64 {
			return nil, errUnsupported // a float after the JSON round trip
		}
		return scalarNode(yaml.NodeTagInt, strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		// As JSON writes the number and prune reads it back.
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return nil, err
		}
		return kk.toNode(prune(json.Number(b), key))
	}
	return nil, errUnsupported
}

func scalarNode(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// marshaled is a json.Marshaler's output, pruned, as nodes.
func (kk *keys) marshaled(m json.Marshaler, key string) (*yaml.Node, error) {
	b, err := m.MarshalJSON()
	if err != nil {
		return nil, err
	}
	switch {
	case len(b) > 1 && b[0] == '"' && strings.IndexByte(string(b[1:len(b)-1]), '\\') < 0 && strings.IndexByte(string(b[1:len(b)-1]), '"') < 0:
		// A plain JSON string (Quantity, IntOrString, Time): no decoder needed.
		return scalarNode(yaml.NodeTagString, string(b[1:len(b)-1])), nil
	case string(b) == "null":
		return nil, nil
	case jsonInteger(b):
		// A JSON integer (IntOrString's ports): what the decoder and prune
		// make of it when it fits an int64, without a decoder.
		if i, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			return scalarNode(yaml.NodeTagInt, strconv.FormatInt(i, 10)), nil
		}
	}
	var x any
	if err := decodeJSON(b, &x); err != nil {
		return nil, err
	}
	if p := prune(x, key); p != nil {
		return kk.toNode(p)
	}
	return nil, nil
}

// jsonInteger says b is a JSON number without fraction or exponent:
// -?(0|[1-9][0-9]*).
func jsonInteger(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 1 && b[0] == '0' {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (kk *keys) typedStruct(v reflect.Value, ti *typeInfo, key string, depth int) (*yaml.Node, error) {
	// The pairs are gathered on the stack and copied out at their number:
	// most fields of an API struct are empty, and growing the list by
	// appending left two or three discarded arrays per mapping.
	var scratch [32]*yaml.Node
	content := scratch[:0]
	for i := range ti.fields {
		f := &ti.fields[i]
		var fv reflect.Value
		if len(f.index) == 1 {
			fv = v.Field(f.index[0])
		} else {
			fv = v.FieldByIndex(f.index)
		}
		if f.omitEmpty && isEmptyValue(fv) || f.omitZero && isZeroValue(fv, f.info) {
			continue
		}
		c, err := kk.typed(fv, f.info, f.name, depth+1)
		if err != nil {
			return nil, wrapKey(f.name, err)
		}
		if c != nil {
			content = append(content, kk.node(f.name), c)
		}
	}
	if len(content) == 0 {
		return kk.mappingOf(nil, key), nil
	}
	return kk.mappingOf(append([]*yaml.Node(nil), content...), key), nil
}

func (kk *keys) typedMap(v reflect.Value, ti *typeInfo, key string, depth int) (*yaml.Node, error) {
	if v.IsNil() || v.Len() == 0 {
		return kk.mappingOf(nil, key), nil
	}
	names := make([]string, 0, v.Len())
	vals := make(map[string]reflect.Value, v.Len())
	for it := v.MapRange(); it.Next(); {
		k := it.Key().String()
		names = append(names, k)
		vals[k] = it.Value()
	}
	sort.Strings(names)
	content := make([]*yaml.Node, 0, 2*len(names))
	for _, k := range names {
		c, err := kk.typed(vals[k], ti.elem, k, depth+1)
		if err != nil {
			return nil, wrapKey(k, err)
		}
		if c != nil {
			content = append(content, kk.node(k), c)
		}
	}
	return kk.mappingOf(content, key), nil
}

// mappingOf is the mapping of content, or nil when pruning drops it.
func (kk *keys) mappingOf(content []*yaml.Node, key string) *yaml.Node {
	if len(content) == 0 {
		if !keepEmpty[key] {
			return nil
		}
		return &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Style: yaml.FlowStyle, Content: []*yaml.Node{}}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Content: content}
}

func (kk *keys) typedList(v reflect.Value, ti *typeInfo, depth int) (*yaml.Node, error) {
	var content []*yaml.Node
	for i := 0; i < v.Len(); i++ {
		c, err := kk.typed(v.Index(i), ti.elem, "", depth+1)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		if c != nil {
			if content == nil {
				content = make([]*yaml.Node, 0, v.Len()-i)
			}
			content = append(content, c)
		}
	}
	if len(content) == 0 {
		return nil, nil
	}
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: yaml.NodeTagSeq, Content: content}, nil
}

func wrapKey(k string, err error) error {
	if errors.Is(err, errUnsupported) {
		return err
	}
	return fmt.Errorf("%s: %w", k, err)
}

// isEmptyValue is encoding/json's test for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// isZeroValue is encoding/json's test for omitzero: the type's IsZero
// method when it has one, else the zero value.
func isZeroValue(v reflect.Value, ti *typeInfo) bool {
	switch ti.zeroer {
	case 1:
		if (ti.kind == reflect.Pointer || ti.kind == reflect.Interface) && v.IsNil() {
			return true
		}
		if ti.kind != reflect.Pointer && ti.kind != reflect.Interface && v.CanAddr() {
			return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	case 2:
		if !v.CanAddr() {
			c := reflect.New(ti.t).Elem()
			c.Set(v)
			v = c
		}
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}
