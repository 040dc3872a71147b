package object

import "testing"

func TestSplitAPIVersionComesBackWhole(t *testing.T) {
	for in, want := range map[string][2]string{
		"v1":               {"", "v1"},
		"apps/v1":          {"apps", "v1"},
		"kuma.io/v1alpha1": {"kuma.io", "v1alpha1"},
		"":                 {"", ""},
		"a/b/c":            {"a/b", "c"},
		"/v1":              {"", "/v1"},
		"apps/":            {"apps", ""},
	} {
		g, v := SplitAPIVersion(in)
		if g != want[0] || v != want[1] {
			t.Errorf("SplitAPIVersion(%q) = %q, %q; want %q, %q", in, g, v, want[0], want[1])
		}
		if got := New(in, "K", "", "n").APIVersion(); got != in {
			t.Errorf("New(%q).APIVersion() = %q", in, got)
		}
	}
}

func TestString(t *testing.T) {
	for _, c := range []struct {
		ref  Ref
		want string
	}{
		{Ref{Group: "apps", Version: "v1", Kind: "Deployment", Namespace: "shop", Name: "edge"}, "Deployment/shop/edge"},
		{Ref{Version: "v1", Kind: "Namespace", Name: "shop"}, "Namespace/shop"},
		{Ref{Kind: "MeshGatewayInstance"}, "MeshGatewayInstance"},
		{Ref{}, ""},
		{Ref{Kind: "ConfigMap", Namespace: "a", Name: "x\x1b[2Jy\n"}, `ConfigMap/a/x\x1b[2Jy\n`},
	} {
		if got := c.ref.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.ref, got, c.want)
		}
	}
}

func TestIDIgnoresTheVersion(t *testing.T) {
	a := New("apps/v1", "Deployment", "shop", "edge")
	b := New("apps/v1beta2", "Deployment", "shop", "edge")
	if a == b || a.ID() != b.ID() {
		t.Fatalf("IDs of %v and %v: %v, %v", a, b, a.ID(), b.ID())
	}
	if New("extensions/v1beta1", "Deployment", "shop", "edge").ID() == a.ID() {
		t.Fatal("another group is another object")
	}
}

func TestNamespaceOr(t *testing.T) {
	for in, want := range map[string]string{"": "default", "team-a": "team-a"} {
		if got := NamespaceOr(in); got != want {
			t.Errorf("NamespaceOr(%q) = %q, want %q", in, got, want)
		}
	}
}
