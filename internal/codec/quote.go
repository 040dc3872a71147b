package codec

import (
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// kyaml's encoder (yaml.v3) quotes a string only when YAML 1.2 would read
// it plain as something else: "true", "1e3" and "0x1F" come out quoted, but
// "yes", "on", "y", "1:20", "<<" and "=" come out plain. kubectl reads YAML
// with YAML 1.1 rules (sigs.k8s.io/yaml on goyaml.v2), where "yes", "on"
// and "y" are booleans, so `render | kubectl apply -f -` would change the
// value or fail. Every writer of the tool therefore double-quotes a string
// that any YAML 1.1 or 1.2 resolver reads as something else: Clean marks
// such scalars double-quoted (so kyaml's encoder quotes them), and the fast
// writer quotes the same ones, byte for byte what kyaml then writes.

// yaml11Words are the plain scalars YAML 1.1 resolves to booleans or null,
// the merge key and the value key, lower-cased: the spec lists three
// spellings of each ("yes", "Yes", "YES"); any other mix of cases is quoted
// too, since quoting a string never changes what any reader reads.
var yaml11Words = []string{"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "<<", "="}

// isYAML11Word reports whether v is one of yaml11Words in any case. It is
// asked of every scalar written, keys included, so it compares in place
// instead of lower-casing a copy of each.
func isYAML11Word(v string) bool {
	if len(v) > len("false") {
		return false
	}
	for _, w := range yaml11Words {
		if equalLower(v, w) {
			return true
		}
	}
	return false
}

// equalLower is strings.ToLower(v) == low for a lower-case ASCII low, in
// ASCII only (strings.EqualFold also folds "ſ" to "s", which ToLower does not).
func equalLower(v, low string) bool {
	if len(v) != len(low) {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != low[i] {
			return false
		}
	}
	return true
}

// intText reports whether v holds only what strconv.ParseInt with base 0
// can read (digits, hex letters, prefixes, sign): other text is not an
// integer, and asking strconv would allocate an error to say so.
func intText(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' || c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// The numeric and timestamp forms of YAML 1.1's type repository, as PyYAML
// implements them (its int and float include sexagesimal "1:20" and
// "190:20:30.15"), and goyaml.v2's float (which also takes "1e3").
var yaml11Forms = []*regexp.Regexp{
	regexp.MustCompile(`^[-+]?(0b[0-1_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(:[0-5]?[0-9])+)$`),
	regexp.MustCompile(`^([-+]?([0-9][0-9_]*)\.[0-9_]*([eE][-+][0-9]+)?|\.[0-9][0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$`),
	regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`),
	regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)$`),
}

// readsAsNonString reports whether a plain scalar with text v is read as
// something other than a string by some YAML 1.1 or 1.2 reader.
func readsAsNonString(v string) bool {
	if v == "" || isYAML11Word(v) {
		return true
	}
	if strings.IndexByte("0123456789+-.", v[0]) < 0 {
		return false
	}
	if equalLower(strings.TrimLeft(v, "+-"), ".inf") || equalLower(v, ".nan") {
		return true
	}
	for _, re := range yaml11Forms {
		if re.MatchString(v) {
			return true
		}
	}
	// goyaml.v2 hands the text without underscores to strconv, which
	// takes 0x, 0o and 0b prefixes.
	if plain := strings.ReplaceAll(v, "_", ""); intText(plain) {
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return true
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return true
		}
	}
	// What yaml.v3 reads as a non-string; "" means the text is not one
	// plain scalar at all ("- x"), which the encoders quote by themselves.
	switch resolveTag(v) {
	case yaml.NodeTagBool, yaml.NodeTagInt, yaml.NodeTagFloat, yaml.NodeTagNull, "!!merge", "!!timestamp":
		return true
	}
	return false
}

// isStringScalar reports whether n is a plain scalar holding a string: tagged
// !!str, or untagged with text that YAML 1.2 resolves to a string.
func isStringScalar(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Style != 0 {
		return false
	}
	return n.Tag == yaml.NodeTagString || n.Tag == "" && n.Value != "" && resolveTag(n.Value) == yaml.NodeTagString
}

// needsQuotes reports whether n must be written double-quoted to read back
// as the same string in every YAML reader.
func needsQuotes(n *yaml.Node) bool {
	return isStringScalar(n) && readsAsNonString(n.Value)
}

// quoteAmbiguous marks every string scalar below n (keys too) that needs
// quotes as double-quoted. n must be a copy: shared nodes are read-only.
func quoteAmbiguous(n *yaml.Node) {
	if n == nil {
		return
	}
	if needsQuotes(n) {
		n.Style = yaml.DoubleQuotedStyle
	}
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			keyAsString(c)
		}
		quoteAmbiguous(c)
	}
}

// keyAsString makes a plain key that YAML resolves to a number, boolean,
// null or timestamp (000, 1e3, true) a quoted string. A Kubernetes
// object's keys are strings: the tool reads `000:` as the key "000", but
// kubectl (goyaml.v2) would read 0, and its JSON key would be "0". Merge
// keys and empty keys are left as they are.
func keyAsString(k *yaml.Node) {
	if keyNeedsQuotes(k) {
		k.Tag, k.Style = yaml.NodeTagString, yaml.DoubleQuotedStyle
	}
}

// keyNeedsQuotes reports whether the key k is plain text that a YAML reader
// resolves to something other than a string.
func keyNeedsQuotes(k *yaml.Node) bool {
	if k.Kind != yaml.ScalarNode || k.Style != 0 || k.Value == "" {
		return false
	}
	tag := k.Tag
	if tag == "" {
		tag = resolveTag(k.Value)
	}
	switch tag {
	case yaml.NodeTagBool, yaml.NodeTagInt, yaml.NodeTagFloat, yaml.NodeTagNull, "!!timestamp":
		return true
	}
	return false
}
