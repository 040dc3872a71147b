// Package shape checks, offline, what the Kubernetes API server would refuse
// about any object's shape: names by kind, namespaces, label and annotation
// keys, values and sizes, resource quantities, object size, Kuma kinds the
// tool expands but that are misspelled or of an unknown version, and v1
// Lists. It uses apimachinery's own validation functions, so the messages
// and limits are the API server's. It runs on every input object and on
// every object the expansion generates, before any request, so apply never
// stops half-way on a refusal that could have been known.
package shape
