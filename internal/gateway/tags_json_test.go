package gateway

import (
	"encoding/json"
	"testing"
)

// TestTagsJSONIsJSONMarshal: the annotation's text is encoding/json's for
// plain tags and for tags that need escaping.
func TestTagsJSONIsJSONMarshal(t *testing.T) {
	for _, tags := range []map[string]string{
		{},
		{"kuma.io/service": "edge_shop_svc"},
		{"zone": "eu", "app": "shop", "kuma.io/service": "edge_shop_svc", "a.b/c-d_e": "x y ~"},
		{"Z": "1", "a": "2", "_": "3", "~": "4"},
		{"html": "<b>&amp;</b>"},
		{"quote": `say "hi"`},
		{"back": `a\b`},
		{"ctl": "tab\there", "nl": "a\nb"},
		{"utf8": "zürich", "bad": "\xff"},
		{"sep": "\u2028"},
		{"del": "\x7f"},
		{"é": "key not ASCII"},
	} {
		want, err := json.Marshal(tags)
		if err != nil {
			t.Fatal(err)
		}
		if got := tagsJSON(tags); got != string(want) {
			t.Errorf("tagsJSON(%q) = %s, want %s", tags, got, want)
		}
	}
}
