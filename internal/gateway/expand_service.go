package gateway

import (
	"maps"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Values Kuma writes on what it builds.
const (
	AnnotationGateway = "kuma.io/gateway"
	AnnotationTags    = "kuma.io/tags"
	gatewayBuiltin    = "builtin"
)

// buildService is spec section 5: one TCP port per distinct listener port,
// in listener order.
func buildService(inst *Instance, gw *Gateway) *corev1.Service {
	ann := map[string]string{AnnotationGateway: gatewayBuiltin}
	maps.Copy(ann, inst.Spec.ServiceTemplate.Metadata.Annotations)
	svc := &corev1.Service{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{
			Name:        inst.Name,
			Namespace:   inst.Namespace,
			Annotations: ann,
			Labels:      maps.Clone(inst.Spec.ServiceTemplate.Metadata.Labels),
		},
		Spec: corev1.ServiceSpec{
			Type:           inst.Spec.ServiceType,
			Selector:       podSelector(inst),
			LoadBalancerIP: inst.Spec.ServiceTemplate.Spec.LoadBalancerIP,
		},
	}
	seen := map[uint32]bool{}
	if gw.Spec.Conf != nil {
		for _, l := range gw.Spec.Conf.Listeners {
			if seen[l.Port] {
				continue
			}
			seen[l.Port] = true
			port := int32(l.Port)
			sp := corev1.ServicePort{
				Name:       strconv.FormatUint(uint64(l.Port), 10),
				Protocol:   corev1.ProtocolTCP,
				Port:       port,
				TargetPort: intstr.FromInt32(port),
			}
			if inst.Spec.ServiceType == corev1.ServiceTypeNodePort {
				sp.NodePort = port
			}
			svc.Spec.Ports = append(svc.Spec.Ports, sp)
		}
	}
	return svc
}

func podSelector(inst *Instance) map[string]string {
	return map[string]string{"app": inst.Name}
}

// checkNodePorts warns about NodePort ports the API server will refuse.
func checkNodePorts(r *reporter, inst *Instance, svc *corev1.Service, portRange string) {
	if inst.Spec.ServiceType != corev1.ServiceTypeNodePort {
		return
	}
	lo, hi, ok := parsePortRange(portRange)
	if !ok {
		return
	}
	for _, p := range svc.Spec.Ports {
		if p.NodePort < lo || p.NodePort > hi {
			r.add(NodePortOutOfRange, fieldPath("spec", "serviceType"),
				"the matched MeshGateway listens on port %d, outside the cluster's node-port range %s, so the API server will refuse the Service; use listener ports in that range or another serviceType",
				p.NodePort, portRange)
		}
	}
}

// parsePortRange reads "30000-32767" (or a single port).
func parsePortRange(s string) (lo, hi int32, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		b = a
	}
	l, err1 := strconv.ParseInt(strings.TrimSpace(a), 10, 32)
	h, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 32)
	if err1 != nil || err2 != nil || l > h {
		return 0, 0, false
	}
	return int32(l), int32(h), true
}
