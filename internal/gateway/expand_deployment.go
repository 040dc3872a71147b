package gateway

import (
	"encoding/json"
	"maps"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// Labels Kuma puts on the gateway pods.
const (
	LabelSidecarInjection = "kuma.io/sidecar-injection"
	LabelMesh             = "kuma.io/mesh"
	// ContainerName is the gateway container's name.
	ContainerName = "kuma-gateway"
)

// buildDeployment is spec section 4. Kuma puts no labels or annotations on
// the Deployment itself, and the controller ownerReference needs the MGI's
// uid, which does not exist offline.
func buildDeployment(inst *Instance, mesh string, cfg config.Config, cc config.Container, t tuning) *appsv1.Deployment {
	replicas := inst.Spec.Replicas
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: inst.Name, Namespace: inst.Namespace},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: podSelector(inst)},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels(inst, mesh, cc.Release), Annotations: podAnnotations(inst, mesh, cc.Release)},
				Spec:       podSpec(inst, mesh, cfg, cc, t),
			},
		},
	}
}

// podLabels: built-ins first, then podTemplate labels, which win. The mesh
// is a label from Kuma 2.9 on (before, an annotation).
func podLabels(inst *Instance, mesh string, rel kuma.Release) map[string]string {
	l := podSelector(inst)
	l[LabelSidecarInjection] = "disabled"
	if rel.Mesh == kuma.MeshLabel {
		l[LabelMesh] = mesh
	}
	maps.Copy(l, inst.Spec.PodTemplate.Metadata.Labels)
	return l
}

// podAnnotations: built-ins first, then podTemplate annotations, which win.
// kuma.io/tags is compact JSON with sorted keys, as encoding/json writes maps.
// Before Kuma 2.9 the mesh is an annotation here, which podTemplate
// annotations can override.
func podAnnotations(inst *Instance, mesh string, rel kuma.Release) map[string]string {
	a := map[string]string{AnnotationGateway: gatewayBuiltin, AnnotationTags: tagsJSON(InstanceTags(inst))}
	if rel.Mesh == kuma.MeshAnnotation {
		a[AnnotationMesh] = mesh
	}
	maps.Copy(a, inst.Spec.PodTemplate.Metadata.Annotations)
	return a
}

func podSpec(inst *Instance, mesh string, cfg config.Config, cc config.Container, t tuning) corev1.PodSpec {
	psc := &corev1.PodSecurityContext{
		Sysctls: []corev1.Sysctl{{Name: "net.ipv4.ip_unprivileged_port_start", Value: "0"}},
	}
	if fs := inst.Spec.PodTemplate.Spec.SecurityContext.FSGroup; fs != nil {
		v := *fs
		psc.FSGroup = &v
	}
	return corev1.PodSpec{
		SecurityContext:    psc,
		ServiceAccountName: inst.Spec.PodTemplate.Spec.ServiceAccountName,
		Containers:         []corev1.Container{container(inst, mesh, cfg, cc, t)},
		Volumes: []corev1.Volume{{
			Name:         "tmp",
			VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}},
		}},
	}
}

// tagsJSON is json.Marshal of tags. Tags whose keys and values need no
// escaping (printable ASCII without '"', '\\' and the HTML characters
// encoding/json escapes) are written directly, as encoding/json writes them:
// keys sorted, no spaces. Marshalling every instance's tags was a third of
// building its Deployment.
func tagsJSON(tags map[string]string) string {
	keys := make([]string, 0, len(tags))
	size := 2
	for k, v := range tags {
		if !plainJSON(k) || !plainJSON(v) {
			b, _ := json.Marshal(tags) // a map of strings always marshals
			return string(b)
		}
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, `":"`...)
		b = append(b, tags[k]...)
		b = append(b, '"')
	}
	return string(append(b, '}'))
}

// plainJSON says encoding/json writes s between quotes as it is.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}
