package gateway

import (
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
)

// Kuma's fixed container settings (control-plane defaults nobody overrides
// in practice: uid/gid 5678 and the probe timings of its runtime config).
const (
	dataplaneUID = 5678
	dataplaneGID = 5678
)

// container is Kuma's DataplaneProxyFactory.NewContainer plus what the
// gateway controller changes on it.
func container(inst *Instance, mesh string, cfg config.Config, cc config.Container, t tuning) corev1.Container {
	admin := cfg.EnvoyAdminPort
	if t.adminPort != nil {
		admin = *t.adminPort
	}
	// With the admin API on a Unix socket (Kuma 2.14's default) the probes
	// cannot reach it and use the readiness port, whatever the annotation says.
	probePort := admin
	if cc.ProbePort != 0 {
		probePort = cc.ProbePort
	}
	uid, gid := int64(dataplaneUID), int64(dataplaneGID)
	c := corev1.Container{
		Name:            ContainerName,
		Image:           cfg.DataplaneImage,
		ImagePullPolicy: corev1.PullIfNotPresent,
		Args:            args(cc, t),
		Env:             envVars(mesh, cfg, cc, t),
		Resources:       resources(inst, cc),
		SecurityContext: &corev1.SecurityContext{
			RunAsUser:  &uid,
			RunAsGroup: &gid,
			Capabilities: &corev1.Capabilities{
				Add:  []corev1.Capability{"NET_BIND_SERVICE"},
				Drop: []corev1.Capability{"ALL"},
			},
			AllowPrivilegeEscalation: new(false),
		},
		LivenessProbe:  probe(probePort, 60),
		ReadinessProbe: probe(probePort, 1),
		VolumeMounts:   []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}},
	}
	if ro := inst.Spec.PodTemplate.Spec.Container.SecurityContext.ReadOnlyRootFilesystem; ro != nil {
		c.SecurityContext.ReadOnlyRootFilesystem = new(*ro)
	}
	if t.waitReady {
		c.Lifecycle = &corev1.Lifecycle{PostStart: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{
			Command: []string{"kuma-dp", "wait", "--url", fmt.Sprintf("http://localhost:%d/ready", probePort)},
		}}}
	}
	return c
}

func probe(port int32, initialDelay int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/ready", Port: intstr.FromInt32(port),
		}},
		InitialDelaySeconds: initialDelay,
		TimeoutSeconds:      3,
		PeriodSeconds:       5,
		SuccessThreshold:    1,
		FailureThreshold:    12,
	}
}

func args(cc config.Container, t tuning) []string {
	a := []string{"run", "--log-level=info"}
	if n := concurrency(cc, t); n > 0 {
		a = append(a, "--concurrency="+strconv.FormatInt(n, 10))
	}
	return a
}

// concurrency is the annotation when set (0 leaves it to Envoy), else the
// whole cores of the control plane's default CPU limit, at least 2. Kuma
// truncates (MilliValue()/1000): a 2500m limit gives 2, not 3. From 2.14 a
// zero limit means no limit and no --concurrency.
func concurrency(cc config.Container, t tuning) int64 {
	if t.concurrency != nil {
		return *t.concurrency
	}
	cpu := cc.Resources.Limits["cpu"]
	if cpu.IsZero() && cc.Release.ZeroCPUMeansNone {
		return 0
	}
	return max(cpu.MilliValue()/1000, 2)
}

// resources: spec.resources replaces the control plane's block entirely.
// From 2.14 a zero CPU limit of the control plane is left out.
func resources(inst *Instance, cc config.Container) corev1.ResourceRequirements {
	if r := inst.Spec.Resources; r != nil {
		return *r.DeepCopy()
	}
	limits := resourceList(cc.Resources.Limits)
	if cpu, ok := limits[corev1.ResourceCPU]; ok && cpu.IsZero() && cc.Release.ZeroCPUMeansNone {
		delete(limits, corev1.ResourceCPU)
	}
	return corev1.ResourceRequirements{
		Requests: resourceList(cc.Resources.Requests),
		Limits:   limits,
	}
}

func resourceList(m map[string]resource.Quantity) corev1.ResourceList {
	if len(m) == 0 {
		return nil
	}
	out := corev1.ResourceList{}
	for k, v := range m {
		out[corev1.ResourceName(k)] = v.DeepCopy()
	}
	return out
}

// drainTime is printed the way Kuma prints a time.Duration ("1m" becomes
// "1m0s"); a control-plane value that is not a duration is passed through.
func drainTime(cfg config.Config, t tuning) string {
	if t.drainTime != nil {
		return t.drainTime.String()
	}
	if d, err := time.ParseDuration(cfg.DrainTime); err == nil {
		return d.String()
	}
	return cfg.DrainTime
}
