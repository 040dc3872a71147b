package gateway

import (
	"math"
	"reflect"
)

// shape is the kind of YAML value a field must hold.
type shape int

const (
	shapeObject   shape = iota // mapping with a fixed set of fields
	shapeMap                   // mapping with free keys, values of one schema
	shapeList                  // sequence of one schema
	shapeString                // scalar string
	shapeInt                   // scalar integer within [min, max]
	shapeBool                  // scalar boolean
	shapeQuantity              // Kubernetes resource quantity (string or number)
	shapeOpaque                // anything; checked elsewhere or not at all
)

// schema describes the fields Kuma's types accept. The strict decoder walks
// the YAML against it, so it can name the full path of an unknown field.
type schema struct {
	shape    shape
	fields   map[string]*schema // shapeObject
	elem     *schema            // shapeMap, shapeList
	min, max int64              // shapeInt
	// rename is the canonical name of a field spelt by its protobuf name
	// (connection_limit); protobuf JSON accepts both spellings.
	rename string
}

func fieldsOf(fields map[string]*schema) *schema { return &schema{shape: shapeObject, fields: fields} }
func mapOf(elem *schema) *schema                 { return &schema{shape: shapeMap, elem: elem} }
func listOf(elem *schema) *schema                { return &schema{shape: shapeList, elem: elem} }
func intIn(lo, hi int64) *schema                 { return &schema{shape: shapeInt, min: lo, max: hi} }
func alias(s *schema, canonical string) *schema {
	c := *s
	c.rename = canonical
	return &c
}

var (
	str      = &schema{shape: shapeString}
	boolean  = &schema{shape: shapeBool}
	quantity = &schema{shape: shapeQuantity}
	opaque   = &schema{shape: shapeOpaque}
	strMap   = mapOf(str)
	int32s   = intIn(math.MinInt32, math.MaxInt32)
	int64s   = intIn(math.MinInt64, math.MaxInt64)
	uint32s  = intIn(0, math.MaxUint32)
)

// metadataSchema is ObjectMeta. Only what this package reads is typed; the
// rest is what a live object or a kubectl export may carry.
var metadataSchema = fieldsOf(map[string]*schema{
	"name": str, "namespace": str, "generateName": str,
	"labels": strMap, "annotations": strMap,
	"uid": str, "resourceVersion": str, "generation": int64s, "selfLink": str,
	"creationTimestamp": opaque, "deletionTimestamp": opaque,
	"deletionGracePeriodSeconds": int64s, "finalizers": listOf(str),
	"ownerReferences": opaque, "managedFields": opaque,
})

// instanceSpecSchema is derived from InstanceSpec (schema_derive.go): a new
// field of the type is accepted without touching this file.
var instanceSpecSchema = schemaOf(reflect.TypeFor[InstanceSpec]())

var instanceSchema = fieldsOf(map[string]*schema{
	"apiVersion": str, "kind": str, "metadata": metadataSchema,
	"spec": instanceSpecSchema,
	// status is written by Kuma; an object exported from a cluster has it.
	"status": opaque,
})

var gatewaySchema = fieldsOf(map[string]*schema{
	"apiVersion": str, "kind": str, "metadata": metadataSchema,
	"mesh": str,
	// spec is derived from GatewaySpec (schema_derive.go).
	"spec": schemaOf(reflect.TypeFor[GatewaySpec]()),
})

// namespaceSchema reads only what mesh resolution needs from a Namespace.
var namespaceSchema = fieldsOf(map[string]*schema{
	"apiVersion": str, "kind": str, "metadata": metadataSchema,
	"spec": opaque, "status": opaque,
})
