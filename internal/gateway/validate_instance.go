package gateway

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
)

// ValidateInstance applies the checks Kuma's CRD schema and admission
// webhook make on a MeshGatewayInstance, and parses every annotation the
// container factory will parse, so that a bad one is caught before Kuma
// creates the Service and then fails on the Deployment. The admission rules
// are those of release rel.
func ValidateInstance(inst *Instance, rel kuma.Release) finding.List {
	if inst == nil {
		return nil
	}
	r := instanceReporter(inst)
	if !inst.HasSpec {
		r.add(EmptySpec, nil, "has no spec, so Kuma builds a Deployment with 0 replicas and a Service without type; add `spec: {}` for 1 replica and a LoadBalancer")
	} else {
		validateInstanceSpec(r, &inst.Spec, rel)
		if app, ok := inst.Spec.PodTemplate.Metadata.Labels["app"]; ok && app != inst.Name {
			// Kuma lets podTemplate labels win over its own, so the pods
			// would not match the selector app: <name> it also writes.
			r.add(PodLabelBreaksSelector, fieldPath("spec", "podTemplate", "metadata", "labels", "app"),
				"app: %q replaces the pod label app: %q that the Deployment's selector needs, so the API server will refuse the Deployment; remove it or set it to %q", app, inst.Name, inst.Name)
		}
	}
	inst.parseAnnotations(rel)
	inst.annotations.validated = true
	for _, pr := range inst.annotations.problems {
		r.add(pr.rule, fieldPath("metadata", "annotations", pr.key), "%s", pr.msg)
	}
	return r.list
}

func validateInstanceSpec(r *reporter, s *InstanceSpec, rel kuma.Release) {
	if s.Replicas < 1 {
		r.add(InvalidReplicas, fieldPath("spec", "replicas"), "must be at least 1, not %d; set it to 1 or more", s.Replicas)
	}
	switch s.ServiceType {
	case corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort:
	default:
		r.add(InvalidServiceType, fieldPath("spec", "serviceType"), "%q is not allowed; use LoadBalancer, ClusterIP or NodePort", s.ServiceType)
	}
	serviceTagRule(r, s, rel)
}

// serviceTagRule is Kuma's webhook on spec.tags["kuma.io/service"]: required
// in 2.7 (core_mesh.ValidateTags with RequireService), optional in 2.8,
// forbidden from 2.9 (ForbidService). The other tags are checked alike.
func serviceTagRule(r *reporter, s *InstanceSpec, rel kuma.Release) {
	check := tagCheck{}
	switch rel.ServiceTag {
	case kuma.ServiceTagForbidden:
		check.reserved = []string{TagService}
	case kuma.ServiceTagRequired:
		if _, ok := s.Tags[TagService]; !ok {
			r.add(MissingServiceTag, fieldPath("spec", "tags"),
				"tags: mandatory tag %q is missing (Kuma %s's admission webhook refuses the instance); add spec.tags[%q], for example <name>_<namespace>_svc", TagService, rel.Line, TagService)
		}
	}
	check.run(r, s.Tags, fieldPath("spec", "tags"))
}
