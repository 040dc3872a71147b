package gateway

import (
	"slices"
	"strconv"
)

// Kuma's character sets for tags (pkg/core/resources/apis/mesh/validators.go:
// ^[a-zA-Z0-9.\-_:/]*$ for keys, the same without / for values, and for
// selector values the key set or "*"), checked byte by byte: a regular
// expression per tag was most of validating a gateway.
func tagKeyChars(s string) bool { return onlyTagChars(s, true) }

func tagValueChars(s string) bool { return onlyTagChars(s, false) }

func selectorValChars(s string) bool { return s == "*" || onlyTagChars(s, true) }

func onlyTagChars(s string, slash bool) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '_', c == ':':
		case c == '/' && slash:
		default:
			return false
		}
	}
	return true
}

// Well-known tags.
const (
	TagService         = "kuma.io/service"
	TagProtocol        = "kuma.io/protocol"
	TagZone            = "kuma.io/zone"
	TagExternalService = "kuma.io/external-service"
)

// tagCheck says how strictly one tag map is checked.
type tagCheck struct {
	// selector values may also be "*" and contain "/".
	selector bool
	reserved []string
}

// checkTags reports bad keys and values of one tag map, in key order.
func (c tagCheck) run(r *reporter, tags map[string]string, p path) {
	keys := sortedKeys(tags)
	for _, k := range keys {
		v := tags[k]
		switch {
		case k == "":
			r.add(InvalidTagKey, p.key(k), "tag name is empty; give the tag a name")
		case !tagKeyChars(k):
			r.add(InvalidTagKey, p.key(k), "tag name %q may only contain letters, digits and . - _ : /; rename it", k)
		case slices.Contains(c.reserved, k):
			r.add(ReservedTag, p.key(k), "Kuma sets the tag %q itself; remove it", k)
		}
		valueChars, allowed := tagValueChars, "letters, digits and . - _ :"
		if c.selector {
			valueChars, allowed = selectorValChars, `letters, digits and . - _ : /, or be "*"`
		}
		switch {
		case v == "":
			r.add(InvalidTagValue, p.key(k), "tag value is empty; give it a value")
		case !valueChars(v):
			r.add(InvalidTagValue, p.key(k), "tag value %s must contain only %s", strconv.Quote(v), allowed)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
