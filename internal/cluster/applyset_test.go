package cluster

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestApplySetIDMatchesKubectl(t *testing.T) {
	// The id kubectl's own tests expect for the Secret my-set in test.
	s := ApplySet{Kind: "Secret", Name: "my-set", Namespace: "test"}
	if got, want := s.ID(), "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1"; got != want {
		t.Errorf("ID = %s, want %s", got, want)
	}
	cm := ApplySet{Kind: "ConfigMap", Name: "my-set", Namespace: "test"}
	if cm.ID() == s.ID() {
		t.Error("a ConfigMap parent of the same name has the Secret's id")
	}
}

func TestParseApplySet(t *testing.T) {
	for _, tc := range []struct{ spec, kind, name, err string }{
		{spec: "gateways", kind: "Secret", name: "gateways"},
		{spec: "secrets/gateways", kind: "Secret", name: "gateways"},
		{spec: "configmaps/gateways", kind: "ConfigMap", name: "gateways"},
		{spec: "deployments/gateways", err: "--applyset deployments/gateways: the parent must be a Secret or a ConfigMap"},
		{spec: "secrets/", err: `--applyset "secrets/": use NAME`},
		{spec: "secrets/b/c", err: `--applyset "secrets/b/c": use NAME`},
	} {
		s, err := ParseApplySet(tc.spec, "shop")
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.spec, err, tc.err)
			}
			continue
		}
		if err != nil || s.Kind != tc.kind || s.Name != tc.name || s.Namespace != "shop" {
			t.Errorf("%s: got %+v, %v", tc.spec, s, err)
		}
	}
}

func TestMembershipAnnotationsRoundTrip(t *testing.T) {
	s := ApplySet{Kind: "Secret", Name: "gw", Namespace: "shop"}
	m := membershipOf(s, nil)
	m.groupKinds.Insert(schema.GroupKind{Group: "apps", Kind: "Deployment"}, schema.GroupKind{Kind: "Service"},
		schema.GroupKind{Group: "kuma.io", Kind: "MeshGateway"})
	m.namespaces.Insert("web", "api")
	ann := m.annotations(s, Tooling(""))
	want := map[string]string{
		ApplySetToolingAnnotation:    "kubectl-mgi/v0",
		ApplySetGroupKindsAnnotation: "Deployment.apps,MeshGateway.kuma.io,Service",
		ApplySetNamespacesAnnotation: "api,web",
	}
	for k, v := range want {
		if ann[k] != v {
			t.Errorf("%s = %q, want %q", k, ann[k], v)
		}
	}
	parent := &unstructured.Unstructured{}
	parent.SetAnnotations(ann)
	back := readMembership(s, parent)
	if !back.groupKinds.Equal(m.groupKinds) || !back.namespaces.Equal(m.namespaces) {
		t.Errorf("read back %v %v, want %v %v", back.groupKinds, back.namespaces, m.groupKinds, m.namespaces)
	}
}

func TestTooling(t *testing.T) {
	for in, want := range map[string]string{"": "kubectl-mgi/v0", "unknown": "kubectl-mgi/v0", "(devel)": "kubectl-mgi/v0", "v1.2.3": "kubectl-mgi/v1.2.3"} {
		if got := Tooling(in); got != want {
			t.Errorf("Tooling(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckParent(t *testing.T) {
	s := ApplySet{Kind: "Secret", Name: "gw", Namespace: "shop"}
	parent := func(labels, ann map[string]string) *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetLabels(labels)
		u.SetAnnotations(ann)
		return u
	}
	ours := map[string]string{ApplySetIDLabel: s.ID()}
	for _, tc := range []struct {
		name   string
		parent *unstructured.Unstructured
		err    string
	}{
		{"missing", nil, ""},
		{"ours", parent(ours, map[string]string{ApplySetToolingAnnotation: "kubectl-mgi/v1.2.3"}), ""},
		{"no tooling", parent(ours, nil), ""},
		{"kubectl's", parent(ours, map[string]string{ApplySetToolingAnnotation: "kubectl/v1.32.0"}),
			"Secret/shop/gw: this ApplySet is managed by kubectl/v1.32.0, not kubectl-mgi"},
		{"not a parent", parent(nil, nil), "Secret/shop/gw: exists but is not an ApplySet parent"},
		{"another set", parent(map[string]string{ApplySetIDLabel: "applyset-x-v1"}, nil), `Secret/shop/gw: its applyset.kubernetes.io/id label is "applyset-x-v1"`},
	} {
		err := checkParent(s, tc.parent)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.err)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
		}
	}
}

func TestLabelMembersLeavesInputsAlone(t *testing.T) {
	u := &unstructured.Unstructured{Object: map[string]interface{}{"apiVersion": "v1", "kind": "ConfigMap"}}
	u.SetName("a")
	u.SetLabels(map[string]string{"app": "edge"})
	out := labelMembers([]Object{{Unstructured: u}}, "applyset-x-v1")
	if got := out[0].GetLabels(); got[ApplySetPartOfLabel] != "applyset-x-v1" || got["app"] != "edge" {
		t.Errorf("labels = %v", got)
	}
	if _, ok := u.GetLabels()[ApplySetPartOfLabel]; ok {
		t.Error("the input object was changed")
	}
}
