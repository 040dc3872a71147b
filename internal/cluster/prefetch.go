package cluster

import (
	"context"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Reading live objects in bulk: when a group holds several objects of one
// resource in one namespace, a single LIST replaces their GETs. The LIST is
// capped (listFactor times the objects wanted, one page): a namespace with
// many more objects than the directory's is read object by object instead.

const (
	minPrefetch = 4
	listFactor  = 4
)

type bucket struct {
	resource  schema.GroupVersionResource
	namespace string
}

// liveCache holds the listed objects of each bucket that could be listed.
type liveCache struct {
	mu      sync.Mutex
	buckets map[bucket]map[string]*unstructured.Unstructured
}

// lookup returns the live object and whether its bucket was listed (when it
// was, a missing name means the object does not exist).
func (lc *liveCache) lookup(b bucket, name string) (*unstructured.Unstructured, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	objs, ok := lc.buckets[b]
	if !ok {
		return nil, false
	}
	return objs[name], true
}

// prefetch lists the buckets of a group that are worth it. Failures are
// not errors: those objects are read one by one, and that read reports any
// problem for the object concerned.
func (r *run) prefetch(ctx context.Context, g []Object) {
	counts := map[bucket]int{}
	for _, o := range g {
		gvk := o.GroupVersionKind()
		m, err := r.c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			continue
		}
		ns := ""
		if m.Scope.Name() == meta.RESTScopeNameNamespace {
			if ns = o.GetNamespace(); ns == "" {
				ns = r.c.defaultNamespace
			}
		}
		ref := Ref(o.Unstructured)
		ref.Namespace = ns
		if p, ok := r.prior[ref]; ok && p.read {
			continue // the dry-run pass read it
		}
		counts[bucket{m.Resource, ns}]++
	}
	// The LISTs across namespaces and those of single namespaces go out
	// together, one round trip: a namespace worth its own LIST is left
	// out of the LIST across namespaces.
	var own []bucket
	for b, n := range counts {
		if n >= minPrefetch && !r.missingNS[b.namespace] && !r.live.listed(b) {
			own = append(own, b)
		}
	}
	across := r.acrossNamespaces(counts)
	forEach(ctx, len(own)+len(across), r.c.concurrency, func(ctx context.Context, i int) error {
		if i >= len(own) {
			r.listAcrossNamespaces(ctx, across[i-len(own)], counts)
			return nil
		}
		b := own[i]
		list, err := r.c.dynamic.Resource(b.resource).Namespace(b.namespace).List(ctx, metav1.ListOptions{Limit: int64(listFactor * counts[b])})
		if err != nil || list.GetContinue() != "" {
			return nil
		}
		objs := make(map[string]*unstructured.Unstructured, len(list.Items))
		for j := range list.Items {
			u := &list.Items[j]
			objs[u.GetName()] = u
		}
		r.live.mu.Lock()
		r.live.buckets[b] = objs
		r.live.mu.Unlock()
		return nil
	})
}

// listed reports whether bucket b has been read already.
func (lc *liveCache) listed(b bucket) bool {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	_, ok := lc.buckets[b]
	return ok
}

// acrossNamespaces are the namespaced resources whose objects are spread
// thin over many namespaces (a gateway or two per team namespace is the
// common layout), where the per-namespace LIST never pays off: each is read
// with one LIST over all namespaces (listAcrossNamespaces).
func (r *run) acrossNamespaces(counts map[bucket]int) []schema.GroupVersionResource {
	spread := map[schema.GroupVersionResource]int{}
	for b, n := range counts {
		if b.namespace != "" && !r.missingNS[b.namespace] && n < minPrefetch {
			spread[b.resource] += n
		}
	}
	var out []schema.GroupVersionResource
	for res, n := range spread {
		if n >= minPrefetch {
			out = append(out, res)
		}
	}
	return out
}

// listAcrossNamespaces lists res in all namespaces and caches the thin
// namespaces' buckets. The same cap applies as to the per-namespace LISTs:
// when the cluster holds more than listFactor times the objects wanted, or
// the user may not list across namespaces, nothing is cached and the
// objects are read one by one.
func (r *run) listAcrossNamespaces(ctx context.Context, res schema.GroupVersionResource, counts map[bucket]int) {
	total := 0
	byNS := map[string]map[string]*unstructured.Unstructured{}
	for b, n := range counts {
		if b.resource == res && b.namespace != "" && !r.missingNS[b.namespace] {
			total += n
			if n < minPrefetch {
				byNS[b.namespace] = map[string]*unstructured.Unstructured{}
			}
		}
	}
	list, err := r.c.dynamic.Resource(res).List(ctx, metav1.ListOptions{Limit: int64(listFactor * total)})
	if err != nil || list.GetContinue() != "" {
		return
	}
	for j := range list.Items {
		u := &list.Items[j]
		if objs, ok := byNS[u.GetNamespace()]; ok {
			objs[u.GetName()] = u
		}
	}
	r.live.mu.Lock()
	for ns, objs := range byNS {
		r.live.buckets[bucket{res, ns}] = objs
	}
	r.live.mu.Unlock()
}
