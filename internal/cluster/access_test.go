package cluster

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

func TestAnyForbiddenLooksAtEveryObject(t *testing.T) {
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "services"}, "edge", errors.New("no"))
	invalid := apierrors.NewBadRequest("bad")
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{invalid, false},
		{fmt.Errorf("Service/shop/edge: %w", forbidden), true},
		// The first API error of the tree is not the refusal.
		{ObjectErrors{fmt.Errorf("a: %w", invalid), fmt.Errorf("b: %w", forbidden)}, true},
		{&NothingAppliedError{Err: ObjectErrors{invalid}}, false},
	} {
		if got := anyForbidden(tc.err); got != tc.want {
			t.Errorf("anyForbidden(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if other := otherErrors(ObjectErrors{fmt.Errorf("a: %w", invalid), fmt.Errorf("b: %w", forbidden)}); len(other) != 1 || !strings.HasPrefix(other[0].Error(), "a: ") {
		t.Errorf("otherErrors = %v", other)
	}
}

// The Role reads back as RBAC objects that grant exactly the missing
// permissions, one rule per resource, bound to the user.
func TestAccessErrorRole(t *testing.T) {
	missing := []Permission{
		{Verb: "list", Resource: "namespaces"},
		{Verb: "get", Group: "apps", Resource: "deployments", Namespace: "shop"},
		{Verb: "patch", Group: "apps", Resource: "deployments", Namespace: "shop"},
		{Verb: "get", Resource: "services", Namespace: "shop"},
	}
	sortPermissions(missing)
	for _, tc := range []struct{ user, name, subject string }{
		{"bob@example.com", "kubectl-mgi-bob-example-com", "kind: User\n  name: bob@example.com"},
		{"system:serviceaccount:ci:kubectl-mgi-plan", "kubectl-mgi-plan", "kind: ServiceAccount\n  name: kubectl-mgi-plan\n  namespace: ci"},
	} {
		e := &AccessError{User: tc.user, Missing: missing}
		docs := strings.Split(strings.TrimPrefix(e.Role(), "---\n"), "---\n")
		if len(docs) != 4 {
			t.Fatalf("%s: want ClusterRole, binding, Role, binding; got %d documents:\n%s", tc.user, len(docs), e.Role())
		}
		var role struct {
			Kind     string
			Metadata struct{ Name, Namespace string }
			Rules    []struct{ APIGroups, Resources, Verbs []string }
		}
		if err := yaml.Unmarshal([]byte(docs[2]), &role); err != nil {
			t.Fatal(err)
		}
		if role.Kind != "Role" || role.Metadata.Name != tc.name || role.Metadata.Namespace != "shop" || len(role.Rules) != 2 ||
			strings.Join(role.Rules[1].Verbs, ",") != "get,patch" || role.Rules[1].APIGroups[0] != "apps" || role.Rules[0].Resources[0] != "services" {
			t.Errorf("%s: Role %+v", tc.user, role)
		}
		if !strings.Contains(docs[3], tc.subject) || !strings.Contains(docs[1], "kind: ClusterRoleBinding") {
			t.Errorf("%s: bindings:\n%s%s", tc.user, docs[1], docs[3])
		}
		msg := e.Error()
		for _, want := range []string{"lacks 4 permissions", "  list namespaces at the cluster scope\n", "  get, patch deployments.apps in namespace shop\n", "  get services in namespace shop\n"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: message lacks %q:\n%s", tc.user, want, msg)
			}
		}
	}
	if got := (&AccessError{Missing: missing}).Role(); strings.Contains(got, "Binding") {
		t.Errorf("no user, yet a binding:\n%s", got)
	}
}
