// Package strict is the one strict decoder of the tool's inputs: it walks a
// YAML node against a Schema (derived from the typed Go structs with Of, so
// a field is declared once, in its type) and reports every unknown field,
// repeated key and value of the wrong kind with its field path, so that the
// caller can name file, line, column and field and say what to do. What is
// valid comes back as plain Go values ready for encoding/json into the typed
// struct. The domain (MeshGatewayInstance, MeshGateway) and the tool's
// ControlPlaneConfig both decode through it.
package strict
