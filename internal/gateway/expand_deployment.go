package gateway

import (
	"encoding/json"
	"maps"

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
	tags, _ := json.Marshal(InstanceTags(inst)) // a map of strings always marshals
	a := map[string]string{AnnotationGateway: gatewayBuiltin, AnnotationTags: string(tags)}
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
