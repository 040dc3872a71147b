package strict

import "math"

// Shape is the kind of YAML value a field must hold.
type Shape int

const (
	ShapeObject   Shape = iota // mapping with a fixed set of fields
	ShapeMap                   // mapping with free keys, values of one schema
	ShapeList                  // sequence of one schema
	ShapeString                // scalar string
	ShapeInt                   // scalar integer within [Min, Max]
	ShapeBool                  // scalar boolean
	ShapeQuantity              // Kubernetes resource quantity (string or number)
	ShapeOpaque                // anything; checked elsewhere or not at all
)

// Schema describes the values a field accepts.
type Schema struct {
	Shape    Shape
	Fields   map[string]*Schema // ShapeObject
	Elem     *Schema            // ShapeMap, ShapeList
	Min, Max int64              // ShapeInt
	// Rename is the canonical name of a field spelt by its protobuf name
	// (connection_limit); protobuf JSON accepts both spellings.
	Rename string
}

// Object is a mapping that takes exactly these fields.
func Object(fields map[string]*Schema) *Schema { return &Schema{Shape: ShapeObject, Fields: fields} }

// MapOf is a mapping with free keys whose values all have schema elem.
func MapOf(elem *Schema) *Schema { return &Schema{Shape: ShapeMap, Elem: elem} }

// ListOf is a sequence whose items all have schema elem.
func ListOf(elem *Schema) *Schema { return &Schema{Shape: ShapeList, Elem: elem} }

// IntIn is an integer from lo to hi.
func IntIn(lo, hi int64) *Schema { return &Schema{Shape: ShapeInt, Min: lo, Max: hi} }

// Alias is s accepted under another spelling and decoded as canonical.
func Alias(s *Schema, canonical string) *Schema {
	c := *s
	c.Rename = canonical
	return &c
}

// The scalar schemas and the common ranges.
var (
	String    = &Schema{Shape: ShapeString}
	Bool      = &Schema{Shape: ShapeBool}
	Quantity  = &Schema{Shape: ShapeQuantity}
	Opaque    = &Schema{Shape: ShapeOpaque}
	StringMap = MapOf(String)
	Int32     = IntIn(math.MinInt32, math.MaxInt32)
	Int64     = IntIn(math.MinInt64, math.MaxInt64)
	Uint32    = IntIn(0, math.MaxUint32)
)

// Metadata is ObjectMeta. Only what the tool reads is typed; the rest is
// what a live object or a kubectl export may carry.
var Metadata = Object(map[string]*Schema{
	"name": String, "namespace": String, "generateName": String,
	"labels": StringMap, "annotations": StringMap,
	"uid": String, "resourceVersion": String, "generation": Int64, "selfLink": String,
	"creationTimestamp": Opaque, "deletionTimestamp": Opaque,
	"deletionGracePeriodSeconds": Int64, "finalizers": ListOf(String),
	"ownerReferences": Opaque, "managedFields": Opaque,
})
