package shape

import "github.com/kubectl-mgi/kubectl-mgi/internal/finding"

// Rule ids of the findings this package reports.
const (
	// InvalidObjectName: metadata.name is not valid for the object's kind.
	InvalidObjectName = "InvalidObjectName"
	// InvalidNamespaceName: metadata.namespace is not a DNS-1123 label.
	InvalidNamespaceName = "InvalidNamespaceName"
	// InvalidLabel: a label key or value the API server refuses.
	InvalidLabel = "InvalidLabel"
	// InvalidAnnotations: an annotation key the API server refuses, or
	// annotations over 256 KiB in total.
	InvalidAnnotations = "InvalidAnnotations"
	// InvalidResources: a negative quantity, or requests above limits.
	InvalidResources = "InvalidResources"
	// ObjectTooLarge: an object the API server (etcd) cannot store.
	ObjectTooLarge = "ObjectTooLarge"
	// UnknownKumaKind: a kuma.io MeshGatewayInstance of another version or
	// with a miscased kind, which would be sent unexpanded.
	UnknownKumaKind = "UnknownKumaKind"
	// ListNotSupported: a v1 List (or other *List) document.
	ListNotSupported = "ListNotSupported"
	// InvalidData: a ConfigMap or Secret key the API server refuses, or a
	// Secret data value that is not base64.
	InvalidData = "InvalidData"
)

// RuleInfo describes one rule for generated documentation.
type RuleInfo struct {
	ID          string
	Severity    finding.Severity
	Description string
}

// Rules lists every rule of this package.
var Rules = []RuleInfo{
	{InvalidObjectName, finding.Error, "metadata.name is not valid for the kind, as the API server checks it: a DNS-1035 label (lower case letters, digits and -, starting with a letter, at most 63 characters) for Services and for MeshGatewayInstances (whose name becomes a Service's), a DNS-1123 label for Namespaces, a DNS-1123 subdomain (at most 253 characters, dots allowed) for other built-in kinds, no / or % for custom resources."},
	{InvalidNamespaceName, finding.Error, "metadata.namespace is not a DNS-1123 label (lower case letters, digits and -, at most 63 characters)."},
	{InvalidLabel, finding.Error, "A label key is not a qualified name (an optional DNS prefix and /, then at most 63 letters, digits, -, _ and .), or a value is longer than 63 characters or has other characters; this covers the labels of generated objects and of pod templates."},
	{InvalidAnnotations, finding.Error, "An annotation key is not a qualified name, or the annotations of one object hold more than 256 KiB in total."},
	{InvalidResources, finding.Error, "A container resource quantity is negative, or a request is larger than its limit."},
	{ObjectTooLarge, finding.Error, "The object is larger than the API server accepts for one object (1.5 MiB, etcd's request limit)."},
	{UnknownKumaKind, finding.Error, "An object of group kuma.io whose kind is MeshGatewayInstance in another case, or whose version is not v1alpha1: the tool would not expand it and the cluster would refuse or ignore it. Write apiVersion: kuma.io/v1alpha1 and kind: MeshGatewayInstance."},
	{InvalidData, finding.Error, "A ConfigMap or Secret data key has characters other than letters, digits, -, _ and . (or is longer than 253), or a Secret data value is not base64 (use stringData for plain text)."},
	{ListNotSupported, finding.Error, "A List document (kind: List): its items are not read one by one; write each item as its own document separated by ---."},
}
