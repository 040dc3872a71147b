package gateway

import (
	"reflect"

	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
)

// The strict decoder's schemas of the objects this package reads. The
// specs are derived from the typed structs (strict.Of): a new field of
// InstanceSpec or GatewaySpec is accepted without touching this file.

var instanceSpecSchema = strict.Of(reflect.TypeFor[InstanceSpec]())

var instanceSchema = strict.Object(map[string]*strict.Schema{
	"apiVersion": strict.String, "kind": strict.String, "metadata": strict.Metadata,
	"spec": instanceSpecSchema,
	// status is written by Kuma; an object exported from a cluster has it.
	"status": strict.Opaque,
})

var gatewaySchema = strict.Object(map[string]*strict.Schema{
	"apiVersion": strict.String, "kind": strict.String, "metadata": strict.Metadata,
	"mesh": strict.String,
	"spec": strict.Of(reflect.TypeFor[GatewaySpec]()),
})

// namespaceSchema reads only what mesh resolution needs from a Namespace.
var namespaceSchema = strict.Object(map[string]*strict.Schema{
	"apiVersion": strict.String, "kind": strict.String, "metadata": strict.Metadata,
	"spec": strict.Opaque, "status": strict.Opaque,
})
