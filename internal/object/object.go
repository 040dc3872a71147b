// Package object is the one model of a Kubernetes object's identity: what
// findings, plans, apply results, the apply order, duplicate detection and
// pruning all use to name an object, and its one printer (Kind/namespace/name).
// It sits below every other package so that each can import it.
package object

import (
	"strconv"
	"strings"
)

// Ref names an object. The JSON form is the one `plan -o json` and apply's
// results have always written.
type Ref struct {
	Group     string `json:"group"`
	Version   string `json:"version"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
}

// New names the object of apiVersion, kind, namespace and name as written
// in a manifest.
func New(apiVersion, kind, namespace, name string) Ref {
	g, v := SplitAPIVersion(apiVersion)
	return Ref{Group: g, Version: v, Kind: kind, Namespace: namespace, Name: name}
}

// SplitAPIVersion cuts an apiVersion into group and version ("apps/v1" →
// "apps", "v1"; "v1" → "", "v1"). It never fails: any string comes back
// whole from Ref.APIVersion, so a finding about a malformed apiVersion
// quotes it as written.
func SplitAPIVersion(apiVersion string) (group, version string) {
	if i := strings.LastIndexByte(apiVersion, '/'); i > 0 {
		return apiVersion[:i], apiVersion[i+1:]
	}
	return "", apiVersion
}

// APIVersion is group/version, or the version alone for the core group.
func (r Ref) APIVersion() string {
	if r.Group == "" {
		return r.Version
	}
	return r.Group + "/" + r.Version
}

// ID is r without its version: two versions of one object are still one
// object to the API server, so this is the key for duplicates, pruning and
// take-over sets.
func (r Ref) ID() Ref {
	r.Version = ""
	return r
}

// String is Kind/namespace/name, Kind/name for cluster-scoped objects, the
// kind alone when there is no name, as in kubectl's messages. Control
// characters are escaped: a name holding ESC or a newline (refused by the
// shape checks) must not act on the terminal that shows it.
func (r Ref) String() string {
	var s string
	switch {
	case r.Name == "":
		s = r.Kind
	case r.Namespace == "":
		s = r.Kind + "/" + r.Name
	default:
		s = r.Kind + "/" + r.Namespace + "/" + r.Name
	}
	return Printable(s)
}

// Printable escapes control characters as Go does in a quoted string, and
// leaves every other string as it is.
func Printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// DefaultNamespace is the namespace of an object that names none when
// neither -n nor the kubeconfig context says otherwise: kubectl's own.
const DefaultNamespace = "default"

// NamespaceOr is ns, or DefaultNamespace when ns is empty. It is the one
// place that decides the default: the inputs, the kubeconfig's context and
// --applyset all go through it.
func NamespaceOr(ns string) string {
	if ns == "" {
		return DefaultNamespace
	}
	return ns
}
