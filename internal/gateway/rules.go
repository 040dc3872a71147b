package gateway

import "github.com/kubectl-mgi/kubectl-mgi/internal/finding"

// Rule ids of every finding this package reports. They are stable: users
// filter on them and docs are generated from Rules.
const (
	// UnknownField: a field that Kuma's types do not have.
	UnknownField = "UnknownField"
	// InvalidType: a field holds the wrong kind of YAML value.
	InvalidType = "InvalidType"
	// DuplicateField: a mapping repeats a key.
	DuplicateField = "DuplicateField"
	// InvalidQuantity: a resources quantity that does not parse.
	InvalidQuantity = "InvalidQuantity"
	// EmptySpec: an MGI without spec gets neither of the documented defaults.
	EmptySpec = "EmptySpec"
	// PodLabelBreaksSelector: a podTemplate label app differs from the
	// Deployment's selector, which the API server refuses.
	PodLabelBreaksSelector = "PodLabelBreaksSelector"
	// InvalidReplicas: spec.replicas below 1.
	InvalidReplicas = "InvalidReplicas"
	// InvalidServiceType: spec.serviceType outside the CRD's enum.
	InvalidServiceType = "InvalidServiceType"
	// MissingServiceTag: Kuma 2.7 refuses an MGI without the kuma.io/service tag.
	MissingServiceTag = "MissingServiceTag"
	// NamespaceMeshLabelIgnored: Kuma 2.7 does not read the Namespace's mesh label.
	NamespaceMeshLabelIgnored = "NamespaceMeshLabelIgnored"
	// ReservedTag: a tag key that Kuma sets itself.
	ReservedTag = "ReservedTag"
	// InvalidTagKey: a tag key that is empty or has characters Kuma refuses.
	InvalidTagKey = "InvalidTagKey"
	// InvalidTagValue: a tag value that is empty or has characters Kuma refuses.
	InvalidTagValue = "InvalidTagValue"
	// InvalidAnnotation: an MGI annotation that Kuma's container factory cannot parse.
	InvalidAnnotation = "InvalidAnnotation"
	// UnknownLogLevel: an Envoy log level annotation that kuma-dp will not accept.
	UnknownLogLevel = "UnknownLogLevel"
	// DeprecatedMeshAnnotation: the mesh comes from the deprecated kuma.io/mesh annotation.
	DeprecatedMeshAnnotation = "DeprecatedMeshAnnotation"
	// NoGatewayMatched: no MeshGateway in the mesh selects the MGI.
	NoGatewayMatched = "NoGatewayMatched"
	// AmbiguousGateway: several MeshGateways select the MGI equally well.
	AmbiguousGateway = "AmbiguousGateway"
	// MissingMesh: a MeshGateway without top-level mesh.
	MissingMesh = "MissingMesh"
	// MissingSelectors: a MeshGateway without selectors.
	MissingSelectors = "MissingSelectors"
	// EmptySelector: a selector whose match has no tags.
	EmptySelector = "EmptySelector"
	// MissingServiceSelector: a selector without the kuma.io/service tag.
	MissingServiceSelector = "MissingServiceSelector"
	// TooManySelectors: a cross-mesh MeshGateway with more than one selector.
	TooManySelectors = "TooManySelectors"
	// NoListeners: a MeshGateway without conf.listeners.
	NoListeners = "NoListeners"
	// InvalidPort: a listener port outside 1..65535.
	InvalidPort = "InvalidPort"
	// InvalidHostname: a listener hostname that is not a DNS name or wildcard.
	InvalidHostname = "InvalidHostname"
	// MissingProtocol: a listener without protocol.
	MissingProtocol = "MissingProtocol"
	// InvalidProtocol: a listener protocol outside HTTP, HTTPS, TCP, TLS.
	InvalidProtocol = "InvalidProtocol"
	// HTTPSWithoutTLS: an HTTPS listener without tls.
	HTTPSWithoutTLS = "HTTPSWithoutTLS"
	// TLSPassthroughOnHTTPS: an HTTPS listener in TLS PASSTHROUGH mode.
	TLSPassthroughOnHTTPS = "TLSPassthroughOnHTTPS"
	// InvalidTLS: a tls block with a missing or unknown mode, or a wrong number of certificates.
	InvalidTLS = "InvalidTLS"
	// CrossMeshConflict: a crossMesh listener that uses HTTPS or tls.
	CrossMeshConflict = "CrossMeshConflict"
	// ConflictingProtocols: listeners on one port with different protocols.
	ConflictingProtocols = "ConflictingProtocols"
	// DuplicateHostname: listeners on one port with the same hostname.
	DuplicateHostname = "DuplicateHostname"
	// ConflictingConnectionLimits: listeners on one port with different connection limits.
	ConflictingConnectionLimits = "ConflictingConnectionLimits"
	// NodePortOutOfRange: a NodePort Service port outside the cluster's node-port range.
	NodePortOutOfRange = "NodePortOutOfRange"
)

// RuleInfo describes one rule for generated documentation.
type RuleInfo struct {
	ID          string
	Severity    finding.Severity
	Description string
}

// Rules lists every rule of this package with its default severity.
var Rules = []RuleInfo{
	{UnknownField, finding.Error, "The field does not exist in Kuma's MeshGatewayInstance or MeshGateway types; the API server or Kuma would drop or refuse it."},
	{InvalidType, finding.Error, "The field holds the wrong kind of value (for example a number where a string is expected, or a list where a map is expected)."},
	{DuplicateField, finding.Error, "A mapping repeats a key, so which value counts depends on the reader."},
	{InvalidQuantity, finding.Error, "A value under spec.resources is not a Kubernetes quantity such as 500m or 64Mi."},
	{EmptySpec, finding.Warning, "An MGI without spec reaches Kuma with 0 replicas and no Service type; write spec: {} to get the documented defaults."},
	{PodLabelBreaksSelector, finding.Warning, "spec.podTemplate.metadata.labels sets app to something other than the instance's name; Kuma copies it over the built-in label, and the API server then refuses the Deployment because its selector (app: <name>) no longer matches its pods."},
	{InvalidReplicas, finding.Error, "spec.replicas must be at least 1."},
	{InvalidServiceType, finding.Error, "spec.serviceType must be LoadBalancer, ClusterIP or NodePort."},
	{ReservedTag, finding.Error, "A tag uses a key that Kuma sets itself (kuma.io/service on MGIs from Kuma 2.9 on; kuma.io/service, kuma.io/protocol, kuma.io/zone, kuma.io/external-service on MeshGateway tags)."},
	{MissingServiceTag, finding.Error, "Kuma 2.7 only: an MGI without spec.tags[\"kuma.io/service\"] is refused by the admission webhook (2.8 makes it optional, 2.9 forbids it)."},
	{NamespaceMeshLabelIgnored, finding.Warning, "Kuma 2.7 only: the Namespace's kuma.io/mesh label is not read, so the instance lands in mesh default; label the instance, or use the Namespace annotation."},
	{InvalidTagKey, finding.Error, "A tag key is empty or has characters other than letters, digits and . - _ : /."},
	{InvalidTagValue, finding.Error, "A tag value is empty or has characters Kuma refuses."},
	{InvalidAnnotation, finding.Error, "An MGI annotation cannot be parsed by Kuma's container factory, so Kuma would create the Service but not the Deployment."},
	{UnknownLogLevel, finding.Warning, "An Envoy log level annotation names a level Envoy does not know, so the gateway would fail to start."},
	{DeprecatedMeshAnnotation, finding.Warning, "The mesh is taken from the deprecated kuma.io/mesh annotation; use the kuma.io/mesh label instead."},
	{NoGatewayMatched, finding.Warning, "No MeshGateway in the MGI's mesh selects its tags, so Kuma creates neither Service nor Deployment."},
	{AmbiguousGateway, finding.Warning, "Several MeshGateways select the MGI equally well and creation times cannot break the tie; the first by name is used."},
	{MissingMesh, finding.Error, "A MeshGateway must name its mesh in the top-level mesh field."},
	{MissingSelectors, finding.Error, "A MeshGateway needs at least one selector."},
	{EmptySelector, finding.Error, "Each MeshGateway selector must match at least one tag."},
	{MissingServiceSelector, finding.Error, "Each MeshGateway selector must match the kuma.io/service tag."},
	{TooManySelectors, finding.Error, "A MeshGateway with a crossMesh listener may have only one selector."},
	{NoListeners, finding.Error, "A MeshGateway needs at least one listener under spec.conf.listeners."},
	{InvalidPort, finding.Error, "A listener port must be in 1..65535."},
	{InvalidHostname, finding.Error, "A listener hostname must be a DNS name, a *.wildcard DNS name, or *."},
	{MissingProtocol, finding.Error, "A listener must set protocol."},
	{InvalidProtocol, finding.Error, "A listener protocol must be HTTP, HTTPS, TCP or TLS."},
	{HTTPSWithoutTLS, finding.Error, "An HTTPS listener needs a tls block."},
	{TLSPassthroughOnHTTPS, finding.Error, "An HTTPS listener cannot use tls mode PASSTHROUGH; use protocol TLS for passthrough."},
	{InvalidTLS, finding.Error, "A tls block needs mode TERMINATE or PASSTHROUGH, TERMINATE needs one or two certificates, and each certificate names exactly one source."},
	{CrossMeshConflict, finding.Error, "A crossMesh listener cannot use HTTPS or a tls block."},
	{ConflictingProtocols, finding.Error, "All listeners on one port must use the same protocol."},
	{DuplicateHostname, finding.Error, "Two listeners on one port use the same hostname (an empty hostname counts as *)."},
	{ConflictingConnectionLimits, finding.Error, "Listeners on one port set different connection limits."},
	{NodePortOutOfRange, finding.Warning, "With serviceType NodePort, a listener port outside the cluster's node-port range makes the API server refuse the Service. plan and apply treat it as an error (the server-side dry-run accepts it, the apply would not)."},
}

// severityOf is the default severity of rule (Error for an unknown id, so a
// typo cannot silently weaken a check).
func severityOf(rule string) finding.Severity {
	for _, r := range Rules {
		if r.ID == rule {
			return r.Severity
		}
	}
	return finding.Error
}
