package cluster

import (
	"context"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

// The status Kuma's gateway-instance controller writes on a
// MeshGatewayInstance, computed from the live Deployment and Service the
// way it computes it (kumahq/kuma v2.13.0,
// pkg/plugins/runtime/k8s/controllers/gateway_instance_controller.go,
// updateStatus and getCombinedReadiness; the same in 2.7 to 2.14).

// The Ready condition's reasons. NotApplied is kubectl-mgi's own: Kuma's
// controller creates the Deployment and Service before it computes the
// status, so it never sees them missing; the tool, which reads what apply
// wrote, can.
const (
	ConditionReady               = "Ready"
	ReasonReady                  = "Ready"
	ReasonNoGatewayMatched       = "NoGatewayMatched"
	ReasonDeploymentNotAvailable = "DeploymentNotAvailable"
	ReasonAddressNotReady        = "LoadBalancerAddressNotReady"
	ReasonNotApplied             = "NotApplied"
)

// InstanceStatus is one instance's status as Kuma would have written it.
type InstanceStatus struct {
	Instance object.Ref `json:"instance"`
	Source   string     `json:"source,omitempty"`
	Mesh     string     `json:"mesh"`
	// Gateway is the MeshGateway the instance matched; "" for none.
	Gateway string `json:"gateway,omitempty"`
	// Status is the instance's status subresource as Kuma writes it.
	Status GatewayInstanceStatus `json:"status"`
}

// GatewayInstanceStatus is MeshGatewayInstance's status: the Ready
// condition and the Service's load-balancer status.
type GatewayInstanceStatus struct {
	Conditions   []Condition                `json:"conditions"`
	LoadBalancer *corev1.LoadBalancerStatus `json:"loadBalancer,omitempty"`
}

// Condition is a status condition without the times Kuma's controller
// adds when it writes one (the tool writes nothing).
type Condition struct {
	Type    string                 `json:"type"`
	Status  metav1.ConditionStatus `json:"status"`
	Reason  string                 `json:"reason"`
	Message string                 `json:"message,omitempty"`
}

// Ready is the Ready condition.
func (s InstanceStatus) Ready() Condition {
	for _, c := range s.Status.Conditions {
		if c.Type == ConditionReady {
			return c
		}
	}
	return Condition{Type: ConditionReady, Status: metav1.ConditionUnknown}
}

// Addresses are the load-balancer ingress addresses (IP, else hostname).
func (s InstanceStatus) Addresses() []string {
	var out []string
	if s.Status.LoadBalancer == nil {
		return out
	}
	for _, in := range s.Status.LoadBalancer.Ingress {
		if in.IP != "" {
			out = append(out, in.IP)
		} else if in.Hostname != "" {
			out = append(out, in.Hostname)
		}
	}
	return out
}

var (
	deploymentGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	serviceGVK    = schema.GroupVersionKind{Version: "v1", Kind: "Service"}
)

// Status reads each instance's Deployment and Service (named as the
// instance, in its namespace) and computes the status Kuma would write,
// in the order of instances.
func (c *Client) Status(ctx context.Context, instances []Instance) ([]InstanceStatus, error) {
	out := make([]InstanceStatus, len(instances))
	errs := forEach(ctx, len(instances), c.concurrency, func(ctx context.Context, i int) error {
		var err error
		out[i], err = c.instanceStatus(ctx, instances[i])
		return err
	})
	var failures ObjectErrors
	for _, err := range errs {
		if err != nil {
			failures = append(failures, err)
		}
	}
	return out, failures.orNil()
}

func (c *Client) instanceStatus(ctx context.Context, in Instance) (InstanceStatus, error) {
	s := InstanceStatus{Instance: takeover{inst: in}.ref(), Source: in.Source, Mesh: in.Mesh, Gateway: in.Gateway}
	if in.Gateway == "" {
		s.Status.Conditions = []Condition{{Type: ConditionReady, Status: metav1.ConditionFalse, Reason: ReasonNoGatewayMatched,
			Message: fmt.Sprintf("No Gateway matched by tags in mesh: '%s'", in.Mesh)}}
		return s, nil
	}
	var dep appsv1.Deployment
	var svc corev1.Service
	depFound, err := c.getTyped(ctx, deploymentGVK, in, &dep)
	if err != nil {
		return s, err
	}
	svcFound, err := c.getTyped(ctx, serviceGVK, in, &svc)
	if err != nil {
		return s, err
	}
	if !depFound || !svcFound {
		missing := "Deployment"
		switch {
		case !depFound && !svcFound:
			missing = "Deployment and Service"
		case !svcFound:
			missing = "Service"
		}
		s.Status.Conditions = []Condition{{Type: ConditionReady, Status: metav1.ConditionFalse, Reason: ReasonNotApplied,
			Message: fmt.Sprintf("the %s %s/%s does not exist; run kubectl mgi apply", missing, in.Namespace, in.Name)}}
		return s, nil
	}
	status, reason := combinedReadiness(&svc, &dep)
	s.Status.Conditions = []Condition{{Type: ConditionReady, Status: status, Reason: reason}}
	lb := svc.Status.LoadBalancer
	s.Status.LoadBalancer = &lb
	return s, nil
}

// combinedReadiness is Kuma's getCombinedReadiness: the Deployment's
// Available condition first (False or Unknown: not available; absent
// counts as available, as in Kuma), then an address: any cluster IP for
// ClusterIP and NodePort Services, a load-balancer ingress for
// LoadBalancer ones.
func combinedReadiness(svc *corev1.Service, dep *appsv1.Deployment) (metav1.ConditionStatus, string) {
	for _, c := range dep.Status.Conditions {
		if c.Type != appsv1.DeploymentAvailable {
			continue
		}
		switch c.Status {
		case corev1.ConditionFalse:
			return metav1.ConditionFalse, ReasonDeploymentNotAvailable
		case corev1.ConditionUnknown:
			return metav1.ConditionUnknown, ReasonDeploymentNotAvailable
		}
	}
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort, corev1.ServiceTypeClusterIP:
		for _, ip := range svc.Spec.ClusterIPs {
			if ip != corev1.ClusterIPNone && ip != "" {
				return metav1.ConditionTrue, ReasonReady
			}
		}
	case corev1.ServiceTypeLoadBalancer:
		if len(svc.Status.LoadBalancer.Ingress) > 0 {
			return metav1.ConditionTrue, ReasonReady
		}
	}
	return metav1.ConditionFalse, ReasonAddressNotReady
}

// getTyped reads the instance's object of kind gvk into obj; false when it
// does not exist.
func (c *Client) getTyped(ctx context.Context, gvk schema.GroupVersionKind, in Instance, obj runtime.Object) (bool, error) {
	ref := object.Ref{Group: gvk.Group, Version: gvk.Version, Kind: gvk.Kind, Namespace: in.Namespace, Name: in.Name}
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return false, fmt.Errorf("%s: mapping %s to a resource: %w", ref, gvk, err)
	}
	live, err := c.resource(m, in.Namespace).Get(ctx, in.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil && cutShort(ctx, err) {
		return false, fmt.Errorf("%s: get: %w", ref, context.DeadlineExceeded)
	}
	if err != nil {
		return false, c.explain(err, ref, "get", m)
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(live.Object, obj); err != nil {
		return false, fmt.Errorf("%s: reading it as %s: %w", ref, gvk.Kind, err)
	}
	return true, nil
}

// cutShort reports a read the context's deadline ended: past it, or
// refused by client-go's rate limiter because it could not start before
// it (an error that does not wrap context.DeadlineExceeded).
func cutShort(ctx context.Context, err error) bool {
	return ctx.Err() != nil || strings.Contains(err.Error(), "would exceed context deadline")
}
