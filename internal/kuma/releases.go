package kuma

// Releases is every supported Kuma release line, oldest first. Each entry
// was read off that release's source (kumahq/kuma at the tag named in the
// comment: pkg/plugins/runtime/k8s/containers/factory.go,
// controllers/gateway_instance_controller.go,
// webhooks/gateway_instance_validator.go, util/util.go for the mesh,
// pkg/config/plugins/runtime/k8s/config.go and
// pkg/config/xds/bootstrap/config.go for the defaults). To add a release,
// append its entry here and to the golden versions (see docs/architecture.md).
var Releases = []Release{
	{ // v2.7.29
		Line: "2.7", Note: "LTS, support ended 2026-10-19",
		ServiceTag: ServiceTagRequired, NamespaceMeshLabel: false, Mesh: MeshAnnotation,
		CoreDNSEmptyPort: true, ProbeProxy: false, DNSProxy: absent,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // release-2.8 branch (no 2.8 tags in the mirror read)
		Line: "2.8", Note: "support ended",
		ServiceTag: ServiceTagOptional, NamespaceMeshLabel: true, Mesh: MeshAnnotation,
		CoreDNSEmptyPort: false, ProbeProxy: false, DNSProxy: absent,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // v2.9.13
		Line: "2.9", Note: "support ended",
		ServiceTag: ServiceTagForbidden, NamespaceMeshLabel: true, Mesh: MeshLabel,
		CoreDNSEmptyPort: false, ProbeProxy: true, DNSProxy: absent,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // v2.10.11: the same output as 2.9
		Line: "2.10", Note: "support ended",
		ServiceTag: ServiceTagForbidden, NamespaceMeshLabel: true, Mesh: MeshLabel,
		CoreDNSEmptyPort: false, ProbeProxy: true, DNSProxy: absent,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // v2.11.18
		Line: "2.11", Note: "supported to 2026-12-10",
		ServiceTag: ServiceTagForbidden, NamespaceMeshLabel: true, Mesh: MeshLabel,
		CoreDNSEmptyPort: false, ProbeProxy: true, DNSProxy: on,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // v2.12.14
		Line: "2.12", Note: "support ended",
		ServiceTag: ServiceTagForbidden, NamespaceMeshLabel: true, Mesh: MeshLabel,
		CoreDNSEmptyPort: false, ProbeProxy: true, DNSProxy: on,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // v2.13.10
		Line: "2.13", Note: "LTS, supported to 2027-12-22",
		ServiceTag: ServiceTagForbidden, NamespaceMeshLabel: true, Mesh: MeshLabel,
		CoreDNSEmptyPort: false, ProbeProxy: true, DNSProxy: on,
		CPULimit: "1", ZeroCPUMeansNone: false,
		AdminUnixSocket: absent, OTelPipe: absent,
	},
	{ // v2.14.3
		Line: "2.14", Note: "supported to 2027-06-12, the last 2.x",
		ServiceTag: ServiceTagForbidden, NamespaceMeshLabel: true, Mesh: MeshLabel,
		CoreDNSEmptyPort: false, ProbeProxy: true, DNSProxy: on,
		CPULimit: "0", ZeroCPUMeansNone: true,
		AdminUnixSocket: on, ReadinessPort: 9902, OTelPipe: on,
	},
}

// DefaultLine is the release the tool builds for unless told otherwise:
// the current LTS.
const DefaultLine = "2.13"
