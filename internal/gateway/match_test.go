package gateway

import (
	"github.com/kubectl-mgi/kubectl-mgi/internal/kuma"
	"strings"
	"testing"
	"time"
)

func TestResolveMeshOrder(t *testing.T) {
	nsFull := map[string]Namespace{"shop": {Name: "shop",
		Labels: map[string]string{"kuma.io/mesh": "ns-label"}, Annotations: map[string]string{"kuma.io/mesh": "ns-annotation"}}}
	nsAnn := map[string]Namespace{"shop": {Name: "shop", Annotations: map[string]string{"kuma.io/mesh": "ns-annotation"}}}
	cases := []struct {
		name        string
		labels, ann map[string]string
		namespaces  map[string]Namespace
		want        string
		deprecated  bool
	}{
		{"mgi label first", map[string]string{"kuma.io/mesh": "label"}, map[string]string{"kuma.io/mesh": "annotation"}, nsFull, "label", false},
		{"then mgi annotation", map[string]string{"kuma.io/mesh": ""}, map[string]string{"kuma.io/mesh": "annotation"}, nsFull, "annotation", true},
		{"then namespace label", nil, nil, nsFull, "ns-label", false},
		{"then namespace annotation", nil, nil, nsAnn, "ns-annotation", true},
		{"else default", nil, nil, nil, "default", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inst := &Instance{Name: "edge", Namespace: "shop", Labels: c.labels, Annotations: c.ann}
			got, fs := ResolveMesh(inst, c.namespaces, kuma.Default())
			if got != c.want {
				t.Errorf("mesh = %q, want %q", got, c.want)
			}
			if dep := len(fs) == 1 && fs[0].Rule == DeprecatedMeshAnnotation && fs[0].Severity == "warning"; dep != c.deprecated || (!c.deprecated && len(fs) > 0) {
				t.Errorf("findings = %s, want deprecated=%v", dump(fs), c.deprecated)
			}
		})
	}
}

func gateway(name, mesh string, created *time.Time, selectors ...map[string]string) *Gateway {
	gw := &Gateway{Name: name, Mesh: mesh, CreationTimestamp: created}
	for _, s := range selectors {
		gw.Spec.Selectors = append(gw.Spec.Selectors, Selector{Match: s})
	}
	return gw
}

func at(hour int) *time.Time {
	t := time.Date(2024, 5, 1, hour, 0, 0, 0, time.UTC)
	return &t
}

func TestMatchGatewayRanking(t *testing.T) {
	inst := &Instance{Name: "edge", Namespace: "shop", Spec: InstanceSpec{Tags: map[string]string{"zone": "eu", "tier": "a"}}}
	svc := "edge_shop_svc"
	cases := []struct {
		name     string
		gateways []*Gateway
		want     string
		rule     string
	}{
		{"only the mesh counts", []*Gateway{gateway("other", "m2", nil, map[string]string{TagService: svc})}, "", NoGatewayMatched},
		{"value must equal", []*Gateway{gateway("a", "m", nil, map[string]string{TagService: "x"})}, "", NoGatewayMatched},
		{"all keys must be present", []*Gateway{gateway("a", "m", nil, map[string]string{TagService: svc, "region": "*"})}, "", NoGatewayMatched},
		{"wildcard matches", []*Gateway{gateway("a", "m", nil, map[string]string{TagService: "*"})}, "a", ""},
		{"more keys win", []*Gateway{
			gateway("a", "m", nil, map[string]string{TagService: svc}),
			gateway("b", "m", nil, map[string]string{TagService: "*", "zone": "*"}),
		}, "b", ""},
		{"more exact values win at equal count", []*Gateway{
			gateway("a", "m", nil, map[string]string{TagService: "*", "zone": "*"}),
			gateway("b", "m", nil, map[string]string{TagService: svc, "zone": "*"}),
		}, "b", ""},
		{"no selectors is the lowest rank", []*Gateway{
			gateway("a", "m", nil),
			gateway("b", "m", nil, map[string]string{TagService: "*"}),
		}, "b", ""},
		{"empty match matches", []*Gateway{gateway("a", "m", nil, map[string]string{})}, "a", ""},
		{"best selector of a gateway counts", []*Gateway{
			gateway("a", "m", nil, map[string]string{TagService: svc}),
			gateway("b", "m", nil, map[string]string{TagService: "x"}, map[string]string{TagService: svc, "tier": "a"}),
		}, "b", ""},
		{"tie without times: first by name, warned", []*Gateway{
			gateway("zeta", "m", nil, map[string]string{TagService: svc}),
			gateway("alpha", "m", nil, map[string]string{TagService: svc}),
		}, "alpha", AmbiguousGateway},
		{"tie with times: latest created", []*Gateway{
			gateway("alpha", "m", at(1), map[string]string{TagService: svc}),
			gateway("zeta", "m", at(2), map[string]string{TagService: svc}),
		}, "zeta", ""},
		{"tie with equal times: first by name", []*Gateway{
			gateway("zeta", "m", at(1), map[string]string{TagService: svc}),
			gateway("alpha", "m", at(1), map[string]string{TagService: svc}),
		}, "alpha", ""},
		{"tie with one time missing: warned", []*Gateway{
			gateway("alpha", "m", at(1), map[string]string{TagService: svc}),
			gateway("zeta", "m", nil, map[string]string{TagService: svc}),
		}, "alpha", AmbiguousGateway},
		{"a later lower-ranked gateway does not win", []*Gateway{
			gateway("a", "m", at(1), map[string]string{TagService: svc, "zone": "eu"}),
			gateway("b", "m", at(9), map[string]string{TagService: svc}),
		}, "a", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, fs := MatchGateway(inst, "m", c.gateways)
			name := ""
			if got != nil {
				name = got.Name
			}
			if name != c.want {
				t.Errorf("matched %q, want %q", name, c.want)
			}
			rule := ""
			if len(fs) == 1 {
				rule = fs[0].Rule
			}
			if rule != c.rule || len(fs) > 1 {
				t.Errorf("findings %s, want rule %q", dump(fs), c.rule)
			}
		})
	}
}

func TestNoGatewayMatchedMessage(t *testing.T) {
	_, fs := MatchGateway(&Instance{Name: "edge", Namespace: "shop"}, "prod", nil)
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "No Gateway matched by tags in mesh: 'prod'") || fs[0].Severity != "warning" {
		t.Fatalf("got %s", dump(fs))
	}
}

func TestInstanceTags(t *testing.T) {
	got := InstanceTags(&Instance{Name: "edge", Namespace: "shop", Spec: InstanceSpec{Tags: map[string]string{"zone": "eu"}}})
	if len(got) != 2 || got[TagService] != "edge_shop_svc" || got["zone"] != "eu" {
		t.Fatalf("tags = %v", got)
	}
}
