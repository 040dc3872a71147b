package cluster

import (
	"regexp"
	"strings"

	yaml "sigs.k8s.io/yaml/goyaml.v2"
)

// Role is YAML that grants exactly the missing permissions to the user: a
// Role and RoleBinding per namespace, a ClusterRole and ClusterRoleBinding
// for what is needed at the cluster scope. A ServiceAccount's user name
// (system:serviceaccount:NS:NAME) binds the ServiceAccount.
func (e *AccessError) Role() string {
	byNS := map[string][]rbacGrant{}
	var order []string
	for _, g := range groupGrants(e.Missing) {
		if _, ok := byNS[g.namespace]; !ok {
			order = append(order, g.namespace)
		}
		byNS[g.namespace] = append(byNS[g.namespace], g)
	}
	name := roleName(e.User)
	var b strings.Builder
	for _, ns := range order {
		role, binding := "Role", "RoleBinding"
		meta := yaml.MapSlice{{Key: "name", Value: name}}
		if ns == "" {
			role, binding = "ClusterRole", "ClusterRoleBinding"
		} else {
			meta = append(meta, yaml.MapItem{Key: "namespace", Value: ns})
		}
		var rules []yaml.MapSlice
		for _, g := range byNS[ns] {
			rules = append(rules, yaml.MapSlice{
				{Key: "apiGroups", Value: []string{g.group}},
				{Key: "resources", Value: []string{g.resource}},
				{Key: "verbs", Value: g.verbs},
			})
		}
		writeDoc(&b, yaml.MapSlice{
			{Key: "apiVersion", Value: "rbac.authorization.k8s.io/v1"},
			{Key: "kind", Value: role},
			{Key: "metadata", Value: meta},
			{Key: "rules", Value: rules},
		})
		if e.User == "" {
			continue // nobody to bind: the administrator adds the subject
		}
		writeDoc(&b, yaml.MapSlice{
			{Key: "apiVersion", Value: "rbac.authorization.k8s.io/v1"},
			{Key: "kind", Value: binding},
			{Key: "metadata", Value: meta},
			{Key: "roleRef", Value: yaml.MapSlice{{Key: "apiGroup", Value: "rbac.authorization.k8s.io"}, {Key: "kind", Value: role}, {Key: "name", Value: name}}},
			{Key: "subjects", Value: []yaml.MapSlice{subject(e.User)}},
		})
	}
	return b.String()
}

// writeDoc writes one YAML document after a separator. The values are
// strings, lists and maps of strings, which yaml.v2 always renders.
func writeDoc(b *strings.Builder, doc yaml.MapSlice) {
	out, err := yaml.Marshal(doc)
	if err != nil {
		return
	}
	b.WriteString("---\n")
	b.Write(out)
}

// roleName names the Role after the user (a ServiceAccount by its own
// name), prefixed kubectl-mgi unless the name already is.
func roleName(user string) string {
	short := user
	if rest, ok := strings.CutPrefix(user, "system:serviceaccount:"); ok {
		if _, name, ok := strings.Cut(rest, ":"); ok {
			short = name
		}
	}
	short = dnsLabel(short)
	switch {
	case short == "":
		return "kubectl-mgi"
	case strings.HasPrefix(short, "kubectl-mgi"):
		return short
	default:
		return "kubectl-mgi-" + short
	}
}

// subject is the RBAC subject of a user name.
func subject(user string) yaml.MapSlice {
	if rest, ok := strings.CutPrefix(user, "system:serviceaccount:"); ok {
		if ns, name, ok := strings.Cut(rest, ":"); ok {
			return yaml.MapSlice{{Key: "kind", Value: "ServiceAccount"}, {Key: "name", Value: name}, {Key: "namespace", Value: ns}}
		}
	}
	return yaml.MapSlice{{Key: "apiGroup", Value: "rbac.authorization.k8s.io"}, {Key: "kind", Value: "User"}, {Key: "name", Value: user}}
}

var notLabel = regexp.MustCompile(`[^a-z0-9-]+`)

// dnsLabel makes a user name usable in an object name: lower case, other
// characters as '-', at most 40 characters.
func dnsLabel(s string) string {
	s = strings.Trim(notLabel.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}
