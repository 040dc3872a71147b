package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// unreachable is the error for a server that does not answer at all.
func unreachable(host string, err error) error {
	return fmt.Errorf("cannot reach the Kubernetes API server at %s: %w; check --kubeconfig/--context", host, err)
}

func isAPIStatus(err error) bool {
	var s apierrors.APIStatus
	return errors.As(err, &s)
}

func isUnauthorized(err error) bool { return apierrors.IsUnauthorized(err) }

// isNetworkError reports an error that never reached the API server's
// handlers: connection refused, DNS, TLS, timeouts.
func isNetworkError(err error) bool {
	if isAPIStatus(err) {
		return false
	}
	var u *url.Error
	var n net.Error
	return errors.As(err, &u) || errors.As(err, &n)
}

// connectionLost reports a connection that was open and then dropped (reset,
// closed mid-answer), as opposed to one that never opened: the kubeconfig is
// not to blame for it.
func connectionLost(err error) bool {
	return retriable(err) && !errors.Is(err, syscall.ECONNREFUSED)
}

// notServedError is the error for a kind the API server does not know.
func notServedError(gvk schema.GroupVersionKind) error {
	gv := gvk.GroupVersion().String()
	if gvk.Group == "kuma.io" {
		return fmt.Errorf("the %s kind (%s) is not served by this cluster: install Kuma (or its CRDs) first", gvk.Kind, gv)
	}
	return fmt.Errorf("the %s kind (%s) is not served by this cluster: install the CRD that defines it first, or add it to the directory", gvk.Kind, gv)
}

// forbiddenUser finds the user in a Forbidden message:
// `deployments.apps "edge" is forbidden: User "bob" cannot patch ...`.
var forbiddenUser = regexp.MustCompile(`User "([^"]*)"`)

// forbiddenVerb finds the verb the server refused: a server-side apply of
// an object that does not exist yet is authorized as `create`, not `patch`
// (`... cannot create resource "deployments" in API group "apps" ...`).
var forbiddenVerb = regexp.MustCompile(`cannot ([a-z]+) resource `)

// explain turns the API error of one request (verb on the object's
// resource) into a message that starts with the object and says what to do.
func (c *Client) explain(err error, ref object.Ref, verb string, m *meta.RESTMapping) error {
	var timeout *RequestTimeoutError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", ref, ErrInterrupted)
	case errors.As(err, &timeout):
		return fmt.Errorf("%s: %s: %w", ref, verb, timeout)
	case isNetworkError(err) && connectionLost(err):
		return fmt.Errorf("%s: %s: the connection to the API server at %s was lost before it answered (%w); run the command again", ref, verb, c.host, err)
	case isNetworkError(err):
		return fmt.Errorf("%s: %w", ref, unreachable(c.host, err))
	case apierrors.IsForbidden(err):
		return fmt.Errorf("%s: %s: %w", ref, c.forbidden(err, verb, m, ref.Namespace), err)
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("%s: %w; check --kubeconfig/--context and log in again", ref, err)
	case isNamespaceMissing(err):
		return fmt.Errorf("%s: namespace %s does not exist: create it or add the Namespace to the directory: %w", ref, ref.Namespace, err)
	default:
		return fmt.Errorf("%s: %s: %w", ref, verb, err)
	}
}

// forbidden names the user, verb, resource and namespace, and the grant
// that would allow the request.
func (c *Client) forbidden(err error, verb string, m *meta.RESTMapping, namespace string) string {
	user := c.user
	if sm := forbiddenUser.FindStringSubmatch(err.Error()); sm != nil {
		user = sm[1]
	}
	if user == "" {
		user = "the current user"
	}
	if sm := forbiddenVerb.FindStringSubmatch(err.Error()); sm != nil {
		verb = sm[1]
	}
	resource := "the resource"
	if m != nil {
		resource = m.Resource.GroupResource().String()
	}
	if namespace == "" || m != nil && m.Scope.Name() != meta.RESTScopeNameNamespace {
		return fmt.Sprintf("forbidden: user %s cannot %s %s at the cluster scope; ask for a ClusterRole granting %s", user, verb, resource, verb)
	}
	return fmt.Sprintf("forbidden: user %s cannot %s %s in namespace %s; ask for a Role granting %s", user, verb, resource, namespace, verb)
}

// isNamespaceMissing reports a NotFound about the namespace rather than the
// object (a write into a namespace that does not exist).
func isNamespaceMissing(err error) bool {
	var s apierrors.APIStatus
	if !apierrors.IsNotFound(err) || !errors.As(err, &s) {
		return false
	}
	d := s.Status().Details
	return d != nil && d.Kind == "namespaces" || strings.Contains(s.Status().Message, "namespaces \"")
}
