package gateway

import "math"

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

func object(fields map[string]*schema) *schema { return &schema{shape: shapeObject, fields: fields} }
func mapOf(elem *schema) *schema               { return &schema{shape: shapeMap, elem: elem} }
func listOf(elem *schema) *schema              { return &schema{shape: shapeList, elem: elem} }
func intIn(lo, hi int64) *schema               { return &schema{shape: shapeInt, min: lo, max: hi} }
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
var metadataSchema = object(map[string]*schema{
	"name": str, "namespace": str, "generateName": str,
	"labels": strMap, "annotations": strMap,
	"uid": str, "resourceVersion": str, "generation": int64s, "selfLink": str,
	"creationTimestamp": opaque, "deletionTimestamp": opaque,
	"deletionGracePeriodSeconds": int64s, "finalizers": listOf(str),
	"ownerReferences": opaque, "managedFields": opaque,
})

var templateMetadata = object(map[string]*schema{"labels": strMap, "annotations": strMap})

// resourcesSchema is core/v1 ResourceRequirements.
var resourcesSchema = object(map[string]*schema{
	"limits":   mapOf(quantity),
	"requests": mapOf(quantity),
	"claims":   listOf(object(map[string]*schema{"name": str, "request": str})),
})

var instanceSpecSchema = object(map[string]*schema{
	"replicas":    int32s,
	"serviceType": str,
	"resources":   resourcesSchema,
	"serviceTemplate": object(map[string]*schema{
		"metadata": templateMetadata,
		"spec":     object(map[string]*schema{"loadBalancerIP": str}),
	}),
	"podTemplate": object(map[string]*schema{
		"metadata": templateMetadata,
		"spec": object(map[string]*schema{
			"serviceAccountName": str,
			"securityContext":    object(map[string]*schema{"fsGroup": int64s}),
			"container": object(map[string]*schema{
				"securityContext": object(map[string]*schema{"readOnlyRootFilesystem": boolean}),
			}),
		}),
	}),
	"tags": strMap,
})

var instanceSchema = object(map[string]*schema{
	"apiVersion": str, "kind": str, "metadata": metadataSchema,
	"spec": instanceSpecSchema,
	// status is written by Kuma; an object exported from a cluster has it.
	"status": opaque,
})

var dataSourceSchema = object(map[string]*schema{
	"secret": str, "file": str, "inline": str, "inlineString": str,
	"inline_string": alias(str, "inlineString"),
})

var listenerSchema = object(map[string]*schema{
	"hostname": str,
	"port":     uint32s,
	"protocol": str,
	"tls": object(map[string]*schema{
		"mode":         str,
		"certificates": listOf(dataSourceSchema),
		"options":      object(map[string]*schema{}),
	}),
	"tags":      strMap,
	"crossMesh": boolean,
	"resources": object(map[string]*schema{
		"connectionLimit":  uint32s,
		"connection_limit": alias(uint32s, "connectionLimit"),
	}),
})

var gatewaySchema = object(map[string]*schema{
	"apiVersion": str, "kind": str, "metadata": metadataSchema,
	"mesh": str,
	"spec": object(map[string]*schema{
		"selectors": listOf(object(map[string]*schema{"match": strMap})),
		"tags":      strMap,
		"conf":      object(map[string]*schema{"listeners": listOf(listenerSchema)}),
	}),
})

// namespaceSchema reads only what mesh resolution needs from a Namespace.
var namespaceSchema = object(map[string]*schema{
	"apiVersion": str, "kind": str, "metadata": metadataSchema,
	"spec": opaque, "status": opaque,
})
