package gateway

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestIndexAgreesWithFullScan: for random gateways and instances, matching
// against the index's candidates gives the same gateway and findings as
// matching against every gateway.
func TestIndexAgreesWithFullScan(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	services := []string{"a_ns_svc", "b_ns_svc", "c_ns_svc", "*"}
	for round := 0; round < 200; round++ {
		var gws []*Gateway
		for i := 0; i < 6; i++ {
			gw := &Gateway{Name: fmt.Sprintf("gw-%d", rng.Intn(10)), Mesh: []string{"default", "other"}[rng.Intn(2)]}
			for s := rng.Intn(3); s > 0; s-- {
				match := map[string]string{}
				if rng.Intn(4) > 0 {
					match[TagService] = services[rng.Intn(len(services))]
				}
				if rng.Intn(2) == 0 {
					match["team"] = []string{"x", "*"}[rng.Intn(2)]
				}
				gw.Spec.Selectors = append(gw.Spec.Selectors, Selector{Match: match})
			}
			gws = append(gws, gw)
		}
		inst := &Instance{Name: []string{"a", "b", "c"}[rng.Intn(3)], Namespace: "ns", HasSpec: true}
		if rng.Intn(2) == 0 {
			inst.Spec.Tags = map[string]string{"team": "x"}
		}
		idx := NewIndex(gws)
		for _, mesh := range []string{"default", "other"} {
			want, wantF := MatchGateway(inst, mesh, gws)
			got, gotF := MatchGateway(inst, mesh, idx.Candidates(inst, mesh))
			if want != got || fmt.Sprint(wantF) != fmt.Sprint(gotF) {
				t.Fatalf("round %d mesh %s: full scan %v %v, index %v %v", round, mesh, want, wantF, got, gotF)
			}
		}
	}
}
