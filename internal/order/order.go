// Package order is the one place that decides in which order objects are
// applied (and therefore rendered): what others depend on goes first, so that
// a fresh cluster can take a whole directory in one run. Kinds with no
// dependency between them share an apply stage (Stage) and are sent
// together.
package order

import "github.com/kubectl-mgi/kubectl-mgi/internal/object"

// ranks lists group/kind in apply order. Kinds not listed come after all of
// them ("the rest"), ordered by group and kind.
var ranks = []string{
	"/Namespace",
	"apiextensions.k8s.io/CustomResourceDefinition",
	"/ServiceAccount",
	"/ResourceQuota",
	"/LimitRange",
	"/ConfigMap",
	"/Secret",
	"rbac.authorization.k8s.io/ClusterRole",
	"rbac.authorization.k8s.io/ClusterRoleBinding",
	"rbac.authorization.k8s.io/Role",
	"rbac.authorization.k8s.io/RoleBinding",
	"kuma.io/Mesh",
	"kuma.io/MeshGateway",
	"/Service",
	"apps/Deployment",
}

// withPrevious are the kinds applied in the same stage as the kind ranked
// just before them: nothing among a gateway's MeshGateway, Service and
// Deployment needs another to exist (the Service selects pods by label, the
// MeshGateway selects dataplanes by tag, the Deployment's pods refer to
// neither), so waiting for one before sending the next only costs time. The
// API server creates Services one at a time (it allocates each ClusterIP
// under one lock), so with their own stage the Deployments waited for that
// queue to drain.
var withPrevious = map[string]bool{
	"/Service":        true,
	"apps/Deployment": true,
}

var rankOf = func() map[string]int {
	m := make(map[string]int, len(ranks))
	for i, k := range ranks {
		m[k] = i
	}
	return m
}()

// Rank is the position of group/kind in apply order; kinds not listed share
// the last rank.
func Rank(group, kind string) int {
	if r, ok := rankOf[group+"/"+kind]; ok {
		return r
	}
	return len(ranks)
}

// stageOf is the stage of each rank (the index of ranks); len(ranks) holds
// the stage of the rest.
var stageOf = func() []int {
	out := make([]int, len(ranks)+1)
	for i, k := range ranks {
		if i > 0 && !withPrevious[k] {
			out[i] = out[i-1] + 1
		} else if i > 0 {
			out[i] = out[i-1]
		}
	}
	out[len(ranks)] = out[len(ranks)-1] + 1
	return out
}()

// Stage is the apply stage of group/kind: stages are applied one after
// another, and the kinds of one stage (consecutive ranks that do not depend
// on each other) together. Stages never reorder objects: a stage is a run of
// consecutive ranks.
func Stage(group, kind string) int {
	return stageOf[Rank(group, kind)]
}

// Less orders two objects: apply rank, then (for the rest) group and kind,
// then namespace, then name. The version does not count.
func Less(a, b object.Ref) bool {
	ra, rb := Rank(a.Group, a.Kind), Rank(b.Group, b.Kind)
	if ra != rb {
		return ra < rb
	}
	return LessInRank(a, b)
}

// LessInRank is Less for two objects of the same rank: group and kind, then
// namespace, then name. For callers that hold each object's rank already
// (Rank builds a string to look it up).
func LessInRank(a, b object.Ref) bool {
	if a.Group != b.Group {
		return a.Group < b.Group
	}
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	return a.Name < b.Name
}
