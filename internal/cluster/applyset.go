package cluster

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/sets"
)

// The ApplySet convention (KEP-3659, as kubectl implements it): a parent
// object carries the set's id label and lists the group-kinds and
// namespaces its members live in; every member carries the part-of label
// with that id. Pruning lists exactly those kinds in exactly those
// namespaces, selected by the label, so nothing outside the set is touched.
const (
	ApplySetIDLabel              = "applyset.kubernetes.io/id"
	ApplySetPartOfLabel          = "applyset.kubernetes.io/part-of"
	ApplySetToolingAnnotation    = "applyset.kubernetes.io/tooling"
	ApplySetGroupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
	ApplySetNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"
)

// toolName is the tool part of the tooling annotation (kubectl-mgi/v1.2.3).
const toolName = "kubectl-mgi"

// ApplySet names the parent of an ApplySet: a Secret or ConfigMap in a
// namespace.
type ApplySet struct {
	// Kind is Secret or ConfigMap (both in the core group).
	Kind      string
	Name      string
	Namespace string
}

// ParseApplySet reads --applyset: NAME (a Secret), secrets/NAME or
// configmaps/NAME, in namespace (the one -n or the kubeconfig selects).
func ParseApplySet(spec, namespace string) (ApplySet, error) {
	kind, name := "Secret", spec
	if res, n, ok := strings.Cut(spec, "/"); ok {
		name = n
		switch res {
		case "secret", "secrets":
			kind = "Secret"
		case "configmap", "configmaps":
			kind = "ConfigMap"
		default:
			return ApplySet{}, fmt.Errorf("--applyset %s: the parent must be a Secret or a ConfigMap: use NAME, secrets/NAME or configmaps/NAME", spec)
		}
	}
	if name == "" || strings.Contains(name, "/") {
		return ApplySet{}, fmt.Errorf("--applyset %q: use NAME, secrets/NAME or configmaps/NAME", spec)
	}
	return ApplySet{Kind: kind, Name: name, Namespace: object.NamespaceOr(namespace)}, nil
}

// ApplySet resolves --applyset in the client's namespace (-n or the
// kubeconfig's).
func (c *Client) ApplySet(spec string) (ApplySet, error) {
	return ParseApplySet(spec, c.defaultNamespace)
}

// ID is the value of the id and part-of labels:
// applyset-<base64url(sha256(name.namespace.kind.group))>-v1.
func (s ApplySet) ID() string {
	sum := sha256.Sum256([]byte(s.Name + "." + s.Namespace + "." + s.Kind + "."))
	return "applyset-" + base64.RawURLEncoding.EncodeToString(sum[:]) + "-v1"
}

// String is how messages name the parent: Secret/shop/gateways.
func (s ApplySet) String() string { return s.ref().String() }

func (s ApplySet) resource() schema.GroupVersionResource {
	return schema.GroupVersionResource{Version: "v1", Resource: strings.ToLower(s.Kind) + "s"}
}

// membership is what a parent says about its members.
type membership struct {
	groupKinds sets.Set[schema.GroupKind]
	// namespaces holds the parent's own namespace and the additional ones.
	namespaces sets.Set[string]
}

func newMembership() membership {
	return membership{groupKinds: sets.New[schema.GroupKind](), namespaces: sets.New[string]()}
}

func (m membership) union(o membership) membership {
	return membership{groupKinds: m.groupKinds.Union(o.groupKinds), namespaces: m.namespaces.Union(o.namespaces)}
}

// readMembership parses the annotations of an existing parent.
func readMembership(s ApplySet, parent *unstructured.Unstructured) membership {
	m := newMembership()
	m.namespaces.Insert(s.Namespace)
	if parent == nil {
		return m
	}
	ann := parent.GetAnnotations()
	for _, gk := range splitList(ann[ApplySetGroupKindsAnnotation]) {
		m.groupKinds.Insert(schema.ParseGroupKind(gk))
	}
	m.namespaces.Insert(splitList(ann[ApplySetNamespacesAnnotation])...)
	return m
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// annotations writes m as the parent's annotations: sorted, comma-separated
// Kind.group (Kind alone for the core group) and the namespaces other than
// the parent's.
func (m membership) annotations(s ApplySet, tooling string) map[string]string {
	gks := make([]string, 0, m.groupKinds.Len())
	for gk := range m.groupKinds {
		gks = append(gks, gk.String())
	}
	sort.Strings(gks)
	extra := sets.List(m.namespaces.Clone().Delete(s.Namespace, ""))
	return map[string]string{
		ApplySetToolingAnnotation:    tooling,
		ApplySetGroupKindsAnnotation: strings.Join(gks, ","),
		ApplySetNamespacesAnnotation: strings.Join(extra, ","),
	}
}

// checkParent refuses a parent this tool must not take over: an object of
// that name that is not an ApplySet parent, the parent of another set, or
// one managed by another tool (whose pruning would fight ours).
func checkParent(s ApplySet, parent *unstructured.Unstructured) error {
	if parent == nil {
		return nil
	}
	id, ok := parent.GetLabels()[ApplySetIDLabel]
	switch {
	case !ok:
		return fmt.Errorf("%s: exists but is not an ApplySet parent (no %s label): choose another --applyset name", s, ApplySetIDLabel)
	case id != s.ID():
		return fmt.Errorf("%s: its %s label is %q, not %q: it is not the parent of this ApplySet; choose another --applyset name", s, ApplySetIDLabel, id, s.ID())
	}
	tooling := parent.GetAnnotations()[ApplySetToolingAnnotation]
	if tool, _, _ := strings.Cut(tooling, "/"); tooling != "" && tool != toolName {
		return fmt.Errorf("%s: this ApplySet is managed by %s, not %s: use that tool to apply and prune it, or choose another --applyset name", s, tooling, toolName)
	}
	return nil
}

// Tooling is the tooling annotation for a version of this tool.
func Tooling(version string) string {
	if version == "" || version == "(devel)" || version == "unknown" {
		version = "v0"
	}
	return toolName + "/" + version
}

// labelMembers returns copies of objs carrying the part-of label, so the
// label is applied (and owned) with the rest of each object.
func labelMembers(objs []Object, id string) []Object {
	out := make([]Object, len(objs))
	for i, o := range objs {
		out[i] = o
		if o.Unstructured == nil || o.Object == nil {
			continue
		}
		u := o.DeepCopy()
		labels := u.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[ApplySetPartOfLabel] = id
		u.SetLabels(labels)
		out[i].Unstructured = u
	}
	return out
}
