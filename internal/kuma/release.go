package kuma

// ServiceTagRule is what Kuma's MeshGatewayInstance admission webhook does
// with spec.tags["kuma.io/service"].
type ServiceTagRule int

const (
	// ServiceTagForbidden: the webhook refuses the tag (2.9 and later).
	ServiceTagForbidden ServiceTagRule = iota
	// ServiceTagOptional: the tag may be given and is then the service tag (2.8).
	ServiceTagOptional
	// ServiceTagRequired: the webhook refuses an instance without it (2.7).
	ServiceTagRequired
)

// MeshPlacement is where the gateway controller writes the mesh on the pod template.
type MeshPlacement int

const (
	// MeshLabel: label kuma.io/mesh, set before the podTemplate labels (2.9 and later).
	MeshLabel MeshPlacement = iota
	// MeshAnnotation: annotation kuma.io/mesh, set before the podTemplate annotations (2.7, 2.8).
	MeshAnnotation
)

// Release is what one Kuma release line's MeshGatewayInstance controller,
// container factory and admission webhook do, and its control plane's
// defaults for the settings the tool exposes. Field comments name the row
// of the table in docs/kuma-versions.md. Kuma's off-by-default extras (2.11's
// xDS transport annotation, 2.12's unified naming and SPIRE, 2.13's delta
// xDS) are not modelled; kuma-versions.md says so.
type Release struct {
	// Line is the release line, "2.13".
	Line string
	// Note is shown in docs and errors ("LTS, supported to 2027-12-22").
	Note string

	// ServiceTag is row 1: the admission rule for spec.tags["kuma.io/service"].
	ServiceTag ServiceTagRule
	// NamespaceMeshLabel is row 2: mesh resolution reads the Namespace's
	// kuma.io/mesh label (else only its annotation).
	NamespaceMeshLabel bool
	// Mesh is row 3: label or annotation on the pod template.
	Mesh MeshPlacement
	// CoreDNSEmptyPort is row 4: KUMA_DNS_CORE_DNS_EMPTY_PORT (DNS port + 1).
	CoreDNSEmptyPort bool
	// ProbeProxy is row 5: the factory sets KUMA_APPLICATION_PROBE_PROXY_PORT
	// and reads the kuma.io/application-probe-proxy-port annotation.
	ProbeProxy bool
	// DNSProxy is row 6: the embedded DNS proxy exists (builtinDNS.experimentalProxy).
	DNSProxy Setting
	// CPULimit is rows 7 and 8: the default sidecar CPU limit ("0" is none),
	// and whether a zero limit drops the limit and --concurrency (2.14)
	// instead of giving --concurrency=2.
	CPULimit         string
	ZeroCPUMeansNone bool
	// AdminUnixSocket is rows 9 and 10: with it on, the probes and the
	// wait-for-dataplane URL use ReadinessPort instead of the admin port.
	AdminUnixSocket Setting
	ReadinessPort   int32
	// OTelPipe is row 11: on gives env HOST_IP, off gives
	// KUMA_DATAPLANE_RUNTIME_OTEL_PIPE_ENABLED=false.
	OTelPipe Setting
}

// Setting is a control-plane switch: whether the release has it, and its
// default there.
type Setting struct {
	Exists  bool
	Default bool
}

var (
	absent = Setting{}
	on     = Setting{Exists: true, Default: true}
)
