package gateway

import (
	"os"
	"regexp"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/strict"
)

// TestRulesComplete: every rule constant in rules.go is listed exactly once
// in Rules, with a severity and a description, so generated docs miss none.
func TestRulesComplete(t *testing.T) {
	src, err := os.ReadFile("rules.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := regexp.MustCompile(`(?m)^\t(\w+) = "(\w+)"$`).FindAllStringSubmatch(string(src), -1)
	listed := map[string]int{}
	for _, r := range Rules {
		listed[r.ID]++
		if r.Severity == "" || r.Description == "" {
			t.Errorf("rule %s lacks severity or description", r.ID)
		}
	}
	if len(consts) != len(Rules) {
		t.Errorf("%d rule constants, %d entries in Rules", len(consts), len(Rules))
	}
	for _, c := range consts {
		if c[1] != c[2] {
			t.Errorf("constant %s has id %q; keep them equal", c[1], c[2])
		}
		if listed[c[2]] != 1 {
			t.Errorf("rule %s is listed %d times in Rules", c[2], listed[c[2]])
		}
	}
}

// The strict decoder reports under these ids; the domain lists them.
func TestStrictDecoderRulesAreTheDomainsRules(t *testing.T) {
	for got, want := range map[string]string{strict.UnknownField: UnknownField, strict.InvalidType: InvalidType, strict.DuplicateField: DuplicateField, strict.InvalidQuantity: InvalidQuantity} {
		if got != want {
			t.Errorf("strict reports %q, the domain's rule is %q", got, want)
		}
	}
}

// The tag character checks are Kuma's regular expressions, written out.
func TestTagCharsAreKumasExpressions(t *testing.T) {
	key := regexp.MustCompile(`^[a-zA-Z0-9.\-_:/]*$`)
	value := regexp.MustCompile(`^[a-zA-Z0-9.\-_:]*$`)
	selector := regexp.MustCompile(`^([a-zA-Z0-9.\-_:/]*|\*)$`)
	var inputs []string
	for c := 0; c < 256; c++ {
		inputs = append(inputs, string(rune(c)), "a"+string([]byte{byte(c)})+"b")
	}
	inputs = append(inputs, "", "*", "**", "a*", "kuma.io/service", "gw_ns_svc:8080", "é", "a b", "\xff")
	for _, s := range inputs {
		if tagKeyChars(s) != key.MatchString(s) || tagValueChars(s) != value.MatchString(s) || selectorValChars(s) != selector.MatchString(s) {
			t.Errorf("%q: key %v value %v selector %v differ from Kuma's expressions", s, tagKeyChars(s), tagValueChars(s), selectorValChars(s))
		}
	}
}
