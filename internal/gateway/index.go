package gateway

// Index narrows the MeshGateways an instance can match, so that matching
// 10,000 instances does not compare each with 10,000 gateways. A selector
// that names an exact kuma.io/service value can only match the instance of
// that service; every other gateway (no selectors, a wildcard or no
// service key in some selector) stays a candidate for all instances.
type Index struct {
	meshes map[string]*meshIndex
}

type meshIndex struct {
	byService map[string][]*Gateway
	any       []*Gateway
}

// NewIndex indexes gateways by mesh and selected service.
func NewIndex(gateways []*Gateway) *Index {
	idx := &Index{meshes: map[string]*meshIndex{}}
	for _, gw := range gateways {
		if gw == nil {
			continue
		}
		m := idx.meshes[gw.Mesh]
		if m == nil {
			m = &meshIndex{byService: map[string][]*Gateway{}}
			idx.meshes[gw.Mesh] = m
		}
		services, wildcard := selectedServices(gw)
		if wildcard {
			m.any = append(m.any, gw)
			continue
		}
		for _, s := range services {
			m.byService[s] = append(m.byService[s], gw)
		}
	}
	return idx
}

// selectedServices lists the exact services gw's selectors name, or says
// that some selector may match any service.
func selectedServices(gw *Gateway) ([]string, bool) {
	if len(gw.Spec.Selectors) == 0 {
		return nil, true
	}
	var out []string
	for _, sel := range gw.Spec.Selectors {
		s, ok := sel.Match[TagService]
		if !ok || s == "*" {
			return nil, true
		}
		out = append(out, s)
	}
	return out, false
}

// Candidates are the gateways of mesh that may select inst, for
// MatchGateway: the same result as passing every gateway, found faster.
func (idx *Index) Candidates(inst *Instance, mesh string) []*Gateway {
	m := idx.meshes[mesh]
	if m == nil || inst == nil {
		return nil
	}
	exact := m.byService[InstanceTags(inst)[TagService]]
	if len(m.any) == 0 {
		return exact
	}
	seen := make(map[*Gateway]bool, len(exact)+len(m.any))
	out := make([]*Gateway, 0, len(exact)+len(m.any))
	for _, list := range [][]*Gateway{exact, m.any} {
		for _, gw := range list {
			if !seen[gw] {
				seen[gw] = true
				out = append(out, gw)
			}
		}
	}
	return out
}
