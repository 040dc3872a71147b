package gateway

import (
	"regexp"
	"slices"
	"strconv"
)

// Kuma's character sets for tags (pkg/core/resources/apis/mesh/validators.go).
var (
	tagKeyChars      = regexp.MustCompile(`^[a-zA-Z0-9.\-_:/]*$`)
	tagValueChars    = regexp.MustCompile(`^[a-zA-Z0-9.\-_:]*$`)
	selectorValChars = regexp.MustCompile(`^([a-zA-Z0-9.\-_:/]*|\*)$`)
)

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
		case !tagKeyChars.MatchString(k):
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
		case !valueChars.MatchString(v):
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
