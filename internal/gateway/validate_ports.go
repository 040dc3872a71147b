package gateway

import "strconv"

// validatePortSharing checks what Kuma requires of listeners that share a
// port: one protocol, distinct hostnames ("" counts as "*"), and one
// connection limit. Each offending listener gets its own finding.
func validatePortSharing(r *reporter, ls []Listener, p path) {
	if len(ls) < 2 {
		return // nothing shares a port (most gateways: no map to build)
	}
	byPort := map[uint32][]int{}
	var order []uint32
	for i, l := range ls {
		if _, seen := byPort[l.Port]; !seen {
			order = append(order, l.Port)
		}
		byPort[l.Port] = append(byPort[l.Port], i)
	}
	for _, port := range order {
		idx := byPort[port]
		if len(idx) < 2 {
			continue
		}
		sharePortChecks(r, ls, idx, port, p)
	}
}

func sharePortChecks(r *reporter, ls []Listener, idx []int, port uint32, p path) {
	protocols := map[string]bool{}
	hosts := map[string]int{}
	limits := map[uint32]bool{}
	for _, i := range idx {
		protocols[ls[i].Protocol] = true
		hosts[hostnameOrWildcard(ls[i].Hostname)]++
		if ls[i].Resources != nil && ls[i].Resources.ConnectionLimit != 0 {
			limits[ls[i].Resources.ConnectionLimit] = true
		}
	}
	ps := strconv.FormatUint(uint64(port), 10)
	for _, i := range idx {
		l := ls[i]
		if len(protocols) > 1 {
			r.add(ConflictingProtocols, p.index(i).key("protocol"), "protocol %s conflicts with other listeners on port %s; use one protocol per port", l.Protocol, ps)
		}
		if h := hostnameOrWildcard(l.Hostname); hosts[h] > 1 {
			r.add(DuplicateHostname, p.index(i).key("hostname"), "hostname %q is used by more than one listener on port %s (an empty hostname counts as *); make each hostname unique per port", h, ps)
		}
		if len(limits) > 1 && l.Resources != nil && l.Resources.ConnectionLimit != 0 {
			r.add(ConflictingConnectionLimits, p.index(i).key("resources").key("connectionLimit"), "listeners on port %s set different connection limits; use one value", ps)
		}
	}
}

func hostnameOrWildcard(h string) string {
	if h == "" {
		return "*"
	}
	return h
}
