package gateway

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// InstanceTags are the tags Kuma matches gateways against: spec.tags plus
// kuma.io/service <name>_<namespace>_svc (unless spec.tags sets it, which
// validation refuses but Kuma's controller would honour).
func InstanceTags(inst *Instance) map[string]string {
	tags := maps.Clone(inst.Spec.Tags)
	if tags == nil {
		tags = map[string]string{}
	}
	if _, ok := tags[TagService]; !ok {
		tags[TagService] = inst.Name + "_" + inst.Namespace + "_svc"
	}
	return tags
}

// rank is how specifically a selector matched: Kuma prefers more matched
// keys, then more exact (non-"*") values.
type rank struct{ exact, wildcard int }

func (a rank) compare(b rank) int {
	if at, bt := a.exact+a.wildcard, b.exact+b.wildcard; at != bt {
		return at - bt
	}
	return a.exact - b.exact
}

// bestRank is the rank of gw's best selector that matches tags, and whether
// any matched. No selectors, or an empty match, matches with the lowest rank.
func bestRank(gw *Gateway, tags map[string]string) (rank, bool) {
	if len(gw.Spec.Selectors) == 0 {
		return rank{}, true
	}
	best, found := rank{}, false
	for _, sel := range gw.Spec.Selectors {
		r, ok := matchSelector(sel.Match, tags)
		if ok && (!found || r.compare(best) > 0) {
			best, found = r, true
		}
	}
	return best, found
}

func matchSelector(match, tags map[string]string) (rank, bool) {
	var r rank
	for k, want := range match {
		got, ok := tags[k]
		switch {
		case !ok:
			return rank{}, false
		case want == "*":
			r.wildcard++
		case want == got:
			r.exact++
		default:
			return rank{}, false
		}
	}
	return r, true
}

// MatchGateway picks the one MeshGateway of mesh that selects inst, as
// Kuma's SelectGateway does: the best-ranked match; among equals the later
// creationTimestamp when every tied gateway has one, else the first by name,
// with an AmbiguousGateway warning. No match is a NoGatewayMatched warning.
func MatchGateway(inst *Instance, mesh string, gateways []*Gateway) (*Gateway, finding.List) {
	if inst == nil {
		return nil, nil
	}
	r := instanceReporter(inst)
	tags := InstanceTags(inst)
	var tied []*Gateway
	var top rank
	for _, gw := range gateways {
		if gw == nil || gw.Mesh != mesh {
			continue
		}
		rk, ok := bestRank(gw, tags)
		switch {
		case !ok:
		case len(tied) == 0 || rk.compare(top) > 0:
			tied, top = []*Gateway{gw}, rk
		case rk.compare(top) == 0:
			tied = append(tied, gw)
		}
	}
	if len(tied) == 0 {
		r.add(NoGatewayMatched, fieldPath("spec", "tags"),
			"No Gateway matched by tags in mesh: '%s'; Kuma creates neither Service nor Deployment. Add a MeshGateway in that mesh whose selector matches %s", mesh, formatTags(tags))
		return nil, r.list
	}
	slices.SortStableFunc(tied, func(a, b *Gateway) int { return strings.Compare(a.Name, b.Name) })
	if len(tied) == 1 {
		return tied[0], nil
	}
	if pending := pendingOf(tied); len(pending) == 1 {
		return pending[0], nil
	} else if len(pending) > 1 {
		r.add(AmbiguousGateway, fieldPath("spec", "tags"),
			"MeshGateways %s select this instance equally well and none of them is in the cluster yet, so no creation time breaks the tie; %s (first by name) is used. Make one selector more specific",
			gatewayNames(pending), pending[0].Name)
		return pending[0], r.list
	}
	if chosen := latestCreated(tied); chosen != nil {
		return chosen, nil
	}
	r.add(AmbiguousGateway, fieldPath("spec", "tags"),
		"MeshGateways %s select this instance equally well; offline there is no creation time to break the tie, so %s (first by name) is used. Make one selector more specific",
		gatewayNames(tied), tied[0].Name)
	return tied[0], r.list
}

// pendingOf are the tied gateways that this apply creates, in name order:
// newer than every live one, so one of them wins the tie-break.
func pendingOf(sorted []*Gateway) []*Gateway {
	var out []*Gateway
	for _, gw := range sorted {
		if gw.Pending {
			out = append(out, gw)
		}
	}
	return out
}

// latestCreated is Kuma's tie-break: the latest creation time, the first by
// name among equal times; nil when some gateway has no creation time.
func latestCreated(sorted []*Gateway) *Gateway {
	best := sorted[0]
	for _, gw := range sorted {
		if gw.CreationTimestamp == nil {
			return nil
		}
		if gw.CreationTimestamp.After(*best.CreationTimestamp) {
			best = gw
		}
	}
	return best
}

func gatewayNames(gws []*Gateway) string {
	names := make([]string, len(gws))
	for i, gw := range gws {
		names[i] = gw.Name
	}
	return strings.Join(names, ", ")
}

func formatTags(tags map[string]string) string {
	parts := make([]string, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		parts = append(parts, fmt.Sprintf("%s=%s", k, tags[k]))
	}
	return strings.Join(parts, ", ")
}
