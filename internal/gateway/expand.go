package gateway

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/config"
	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// Expand builds the Service and Deployment Kuma's controller builds for inst
// when gw is its matched MeshGateway in mesh (spec sections 4 and 5), as
// the Kuma release cfg names builds them (kuma.Release; docs/kuma-versions.md).
//
// With no gateway there is nothing to build, as in Kuma. An annotation the
// container factory cannot parse gives the Service and no Deployment, which
// is how far Kuma gets. Annotation problems are reported once per instance:
// by ValidateInstance when it ran on inst, else here.
func Expand(inst *Instance, gw *Gateway, mesh string, cfg config.Config) (*appsv1.Deployment, *corev1.Service, finding.List) {
	return NewExpander(cfg).Expand(inst, gw, mesh)
}

// Expander is Expand for many instances of one configuration: the
// configuration's defaults and its release's container settings are worked
// out once, not per instance (parsing the default resource quantities was a
// fifth of an instance's expansion). It changes nothing shared, so instances
// can expand at the same time.
type Expander struct {
	cfg config.Config
	cc  config.Container
}

// NewExpander prepares the expansion of instances under cfg.
func NewExpander(cfg config.Config) *Expander {
	cfg.ApplyDefaults()
	return &Expander{cfg: cfg, cc: cfg.Container()}
}

// Expand is the package's Expand with the Expander's configuration.
func (x *Expander) Expand(inst *Instance, gw *Gateway, mesh string) (*appsv1.Deployment, *corev1.Service, finding.List) {
	if inst == nil || gw == nil {
		return nil, nil, nil
	}
	cfg, cc := x.cfg, x.cc
	r := instanceReporter(inst)
	svc := buildService(inst, gw)
	checkNodePorts(r, inst, svc, cfg.NodePortRange)

	// The annotations were parsed, and their problems reported, by
	// ValidateInstance when it ran; else they are parsed and reported here.
	inst.parseAnnotations(cc.Release)
	failed := false
	for _, pr := range inst.annotations.problems {
		if !inst.annotations.validated {
			r.add(pr.rule, fieldPath("metadata", "annotations", pr.key), "%s", pr.msg)
		}
		failed = failed || severityOf(pr.rule) == finding.Error
	}
	if failed {
		return nil, svc, r.list
	}
	t := inst.annotations.tuning
	return buildDeployment(inst, mesh, cfg, cc, t), svc, r.list
}
