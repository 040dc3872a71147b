package gateway

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// APIVersion is the group/version of both Kuma kinds handled here.
const APIVersion = "kuma.io/v1alpha1"

// Kinds of the inputs.
const (
	KindInstance = "MeshGatewayInstance"
	KindGateway  = "MeshGateway"
)

// Instance is a decoded MeshGatewayInstance (kuma.io/v1alpha1, namespaced).
type Instance struct {
	// Node is the source object, kept for positions; nil in some tests.
	Node                *yaml.RNode
	Name, Namespace     string
	Labels, Annotations map[string]string
	// HasSpec is false when the object has no spec at all: the API server
	// then applies no CRD defaults, so Kuma sees replicas 0 and no type.
	HasSpec bool
	Spec    InstanceSpec
	// annotations are Annotations parsed, once (parseAnnotations).
	annotations *parsedAnnotations
}

// InstanceSpec mirrors Kuma's MeshGatewayInstanceSpec.
type InstanceSpec struct {
	Replicas        int32                        `json:"replicas,omitempty"`
	ServiceType     corev1.ServiceType           `json:"serviceType,omitempty"`
	Resources       *corev1.ResourceRequirements `json:"resources,omitempty"`
	ServiceTemplate ServiceTemplate              `json:"serviceTemplate,omitempty"`
	PodTemplate     PodTemplate                  `json:"podTemplate,omitempty"`
	Tags            map[string]string            `json:"tags,omitempty"`
}

// ObjectMetadata is the labels and annotations a template adds.
type ObjectMetadata struct {
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// ServiceTemplate is spec.serviceTemplate.
type ServiceTemplate struct {
	Metadata ObjectMetadata `json:"metadata,omitempty"`
	Spec     ServiceSpec    `json:"spec,omitempty"`
}

// ServiceSpec is spec.serviceTemplate.spec.
type ServiceSpec struct {
	LoadBalancerIP string `json:"loadBalancerIP,omitempty"`
}

// PodTemplate is spec.podTemplate.
type PodTemplate struct {
	Metadata ObjectMetadata `json:"metadata,omitempty"`
	Spec     PodSpec        `json:"spec,omitempty"`
}

// PodSpec is spec.podTemplate.spec: the only pod fields Kuma lets users set.
type PodSpec struct {
	ServiceAccountName string             `json:"serviceAccountName,omitempty"`
	SecurityContext    PodSecurityContext `json:"securityContext,omitempty"`
	Container          Container          `json:"container,omitempty"`
}

// PodSecurityContext is spec.podTemplate.spec.securityContext.
type PodSecurityContext struct {
	FSGroup *int64 `json:"fsGroup,omitempty"`
}

// Container is spec.podTemplate.spec.container.
type Container struct {
	SecurityContext SecurityContext `json:"securityContext,omitempty"`
}

// SecurityContext is spec.podTemplate.spec.container.securityContext.
type SecurityContext struct {
	ReadOnlyRootFilesystem *bool `json:"readOnlyRootFilesystem,omitempty"`
}

// Gateway is a decoded MeshGateway (kuma.io/v1alpha1, cluster-scoped).
type Gateway struct {
	Node       *yaml.RNode
	Name, Mesh string
	// CreationTimestamp is nil offline; set for objects read from a cluster
	// (and for a directory's gateway that is live too: the live one's).
	CreationTimestamp *time.Time
	// Pending marks a directory's gateway that is not in the cluster: the
	// apply creates it, so it is newer than every live one.
	Pending bool
	Spec    GatewaySpec
}

// GatewaySpec mirrors Kuma's MeshGateway protobuf message.
type GatewaySpec struct {
	Selectors []Selector        `json:"selectors,omitempty"`
	Tags      map[string]string `json:"tags,omitempty"`
	Conf      *GatewayConf      `json:"conf,omitempty"`
}

// Selector is one entry of spec.selectors.
type Selector struct {
	Match map[string]string `json:"match,omitempty"`
}

// GatewayConf is spec.conf.
type GatewayConf struct {
	Listeners []Listener `json:"listeners,omitempty"`
}

// Listener is one entry of spec.conf.listeners.
type Listener struct {
	Hostname  string             `json:"hostname,omitempty"`
	Port      uint32             `json:"port,omitempty"`
	Protocol  string             `json:"protocol,omitempty"`
	TLS       *TLSConf           `json:"tls,omitempty"`
	Tags      map[string]string  `json:"tags,omitempty"`
	CrossMesh bool               `json:"crossMesh,omitempty"`
	Resources *ListenerResources `json:"resources,omitempty"`
}

// Listener protocols Kuma knows.
const (
	ProtocolHTTP  = "HTTP"
	ProtocolHTTPS = "HTTPS"
	ProtocolTCP   = "TCP"
	ProtocolTLS   = "TLS"
)

// TLSConf is a listener's tls block.
type TLSConf struct {
	Mode         string       `json:"mode,omitempty"`
	Certificates []DataSource `json:"certificates,omitempty"`
	Options      *struct{}    `json:"options,omitempty"`
}

// TLS modes Kuma knows.
const (
	TLSTerminate   = "TERMINATE"
	TLSPassthrough = "PASSTHROUGH"
)

// DataSource is a certificate source; exactly one field should be set.
type DataSource struct {
	Secret       string `json:"secret,omitempty"`
	File         string `json:"file,omitempty"`
	Inline       string `json:"inline,omitempty"`
	InlineString string `json:"inlineString,omitempty" alias:"inline_string"`
}

// ListenerResources is a listener's resources block.
type ListenerResources struct {
	ConnectionLimit uint32 `json:"connectionLimit,omitempty" alias:"connection_limit"`
}

// Namespace is what mesh resolution needs from a Namespace object.
type Namespace struct {
	Name                string
	Labels, Annotations map[string]string
}
