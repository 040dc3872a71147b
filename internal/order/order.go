// Package order is the one place that decides in which order objects are
// applied (and therefore rendered): what others depend on goes first, so that
// a fresh cluster can take a whole directory in one run.
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

// Less orders two objects: apply rank, then (for the rest) group and kind,
// then namespace, then name. The version does not count.
func Less(a, b object.Ref) bool {
	ra, rb := Rank(a.Group, a.Kind), Rank(b.Group, b.Kind)
	if ra != rb {
		return ra < rb
	}
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
