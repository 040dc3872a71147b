package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
)

func TestSentenceCountsEveryAction(t *testing.T) {
	got := Summary{Create: 2, Update: 1, Replace: 1, Conflict: 1, Error: 1, Unchanged: 3, "adopt": 1}.Sentence()
	want := "Plan: 2 to create, 1 to update, 1 to replace, 0 to delete, 0 to take over, 1 with conflicts, 1 rejected, 3 unchanged, 1 adopt."
	if got != want {
		t.Errorf("Sentence = %q, want %q", got, want)
	}
}

func TestPrintersAcceptNilPlan(t *testing.T) {
	var b bytes.Buffer
	if err := PrintText(&b, nil, TextOptions{Color: true}); err != nil || !strings.Contains(b.String(), NoChanges) {
		t.Errorf("PrintText(nil) = %q, %v", b.String(), err)
	}
	b.Reset()
	if err := PrintJSON(&b, nil, JSONOptions{}); err != nil || !strings.Contains(b.String(), `"changes": []`) {
		t.Errorf("PrintJSON(nil) = %q, %v", b.String(), err)
	}
	b.Reset()
	if err := PrintMarkdown(&b, nil, MarkdownOptions{}); err != nil || !strings.Contains(b.String(), NoChanges) {
		t.Errorf("PrintMarkdown(nil) = %q, %v", b.String(), err)
	}
}

// An action a newer cluster package might add is still counted and shown.
func TestUnknownActionIsShown(t *testing.T) {
	p := &Plan{Changes: []Change{{Action: "adopt", Object: object.Ref{Kind: "Service", Namespace: "shop", Name: "edge"}}}}
	var b bytes.Buffer
	if err := PrintText(&b, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1 adopt.", `? Service/shop/edge has an unknown action "adopt"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, b.String())
		}
	}
	if doc := NewJSONPlan(p, JSONOptions{}); doc.Summary["adopt"] != 1 || !doc.HasChanges {
		t.Errorf("JSON summary = %v, hasChanges %v", doc.Summary, doc.HasChanges)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := PrintJSON(&b, everyActionPlan(t), JSONOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc JSONPlan
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.APIVersion != JSONAPIVersion || doc.Kind != JSONKind || !doc.HasChanges {
		t.Errorf("header = %s %s %v", doc.APIVersion, doc.Kind, doc.HasChanges)
	}
	for _, a := range Actions {
		if doc.Summary[a] != 1 {
			t.Errorf("summary[%s] = %d, want 1", a, doc.Summary[a])
		}
	}
	last := doc.Changes[len(doc.Changes)-1]
	if last.Action != Unchanged || last.Diff != "" || last.Conflicts == nil {
		t.Errorf("unchanged change = %+v", last)
	}
	if got := doc.Changes[3].TakeOver; got == nil || !got.RestartsPods || len(got.Objects) != 2 || len(got.PodTemplateFields) != 1 {
		t.Errorf("takeOver = %+v", got)
	}
	if got := doc.Changes[4].Conflicts; len(got) != 2 || got[0].Manager != "kuma-cp" {
		t.Errorf("conflicts = %+v", got)
	}
}

func TestUnchangedDiffIsNotPrinted(t *testing.T) {
	p := &Plan{Changes: []Change{{Action: Unchanged, Object: object.Ref{Kind: "A", Name: "a"}, Diff: "--- x\n+++ y\n"}}}
	for name, print := range map[string]func(*bytes.Buffer) error{
		"text": func(b *bytes.Buffer) error { return PrintText(b, p, TextOptions{}) },
		"json": func(b *bytes.Buffer) error { return PrintJSON(b, p, JSONOptions{}) },
		"md":   func(b *bytes.Buffer) error { return PrintMarkdown(b, p, MarkdownOptions{}) },
	} {
		var b bytes.Buffer
		if err := print(&b); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "+++ y") {
			t.Errorf("%s shows the diff of an unchanged object:\n%s", name, b.String())
		}
	}
}

// manyChanges is a plan of n updates whose diffs are about size bytes.
func manyChanges(n, size int) *Plan {
	p := &Plan{}
	for i := 0; i < n; i++ {
		d := fmt.Sprintf("--- live/ConfigMap/shop/c%d\n+++ desired/ConfigMap/shop/c%d\n@@ -1 +1 @@\n-%s\n+%s\n",
			i, i, strings.Repeat("a", size/2), strings.Repeat("b", size/2))
		p.Changes = append(p.Changes, Change{Action: Update, Object: object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: "shop", Name: fmt.Sprintf("c%d", i)}, Diff: d})
	}
	return p
}

func TestMarkdownSizeCap(t *testing.T) {
	for _, max := range []int{0, 700, 1500, 5000, 20000} {
		var b bytes.Buffer
		if err := PrintMarkdown(&b, manyChanges(40, 400), MarkdownOptions{MaxBytes: max}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		limit := max
		if limit == 0 {
			limit = DefaultMarkdownMaxBytes
		}
		if b.Len() > limit {
			t.Errorf("max %d: output is %d bytes", max, b.Len())
		}
		opened := strings.Count(out, "<details>")
		if closed := strings.Count(out, "</details>"); opened != closed {
			t.Errorf("max %d: %d sections opened, %d closed", max, opened, closed)
		}
		if fences := strings.Count(out, "```"); fences != 2*opened {
			t.Errorf("max %d: %d fences for %d sections", max, fences, opened)
		}
		if opened < 40 {
			note := fmt.Sprintf("**Output truncated** (size cap %d bytes): %d of 40 changed objects are not shown in full.", limit, 40-opened)
			if !strings.Contains(out, note) {
				t.Errorf("max %d: output lacks the note %q:\n%s", max, note, out)
			}
			// Every object left out is named, or counted when even the
			// names do not fit.
			named := 0
			for i := opened; i < 40; i++ {
				if strings.Contains(out, fmt.Sprintf("- :pencil2: update `ConfigMap/shop/c%d`\n", i)) {
					named++
				}
			}
			more := 0
			if _, tail, ok := strings.Cut(out, "- … and "); ok {
				fmt.Sscanf(tail, "%d more", &more)
			}
			if named+more != 40-opened {
				t.Errorf("max %d: %d objects named and %d counted, want %d left out:\n%s", max, named, more, 40-opened, out)
			}
		} else if strings.Contains(out, "truncated") {
			t.Errorf("max %d: all sections shown but output says truncated", max)
		}
	}
}

// The last section is written when it fits without room for a note, since
// no note follows it.
func TestMarkdownLastSectionNeedsNoNoteRoom(t *testing.T) {
	p := manyChanges(2, 200)
	var full bytes.Buffer
	if err := PrintMarkdown(&full, p, MarkdownOptions{MaxBytes: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	var capped bytes.Buffer
	if err := PrintMarkdown(&capped, p, MarkdownOptions{MaxBytes: full.Len()}); err != nil {
		t.Fatal(err)
	}
	if capped.String() != full.String() {
		t.Errorf("an output of exactly MaxBytes was truncated:\n%s", capped.String())
	}
}

func TestMarkdownEscapesSummary(t *testing.T) {
	p := &Plan{Changes: []Change{{Action: Create, Object: object.Ref{Kind: "ConfigMap", Name: "c"}, Source: "dir/<b>&x.yaml:1"}}}
	var b bytes.Buffer
	if err := PrintMarkdown(&b, p, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<code>dir/&lt;b&gt;&amp;x.yaml:1</code>") {
		t.Errorf("source not escaped:\n%s", b.String())
	}
}

func TestInlineCode(t *testing.T) {
	for in, want := range map[string]string{
		".spec.replicas": "`.spec.replicas`",
		"a`b":            "``a`b``",
		"`x":             "`` `x ``",
	} {
		if got := inlineCode(in); got != want {
			t.Errorf("inlineCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// One vocabulary: apply reports every action in the words of the plan's
// table, so each action has its past tense there.
func TestEveryActionSaysWhatApplyDid(t *testing.T) {
	for _, a := range Actions {
		if a.Done() == "" {
			t.Errorf("action %s has no word for apply", a)
		}
	}
	if Create.Done() != "created" || Update.Done() != "configured" || Delete.Done() != "pruned" || Replace.Done() != "recreated" {
		t.Errorf("apply's words: %s, %s, %s, %s", Create.Done(), Update.Done(), Delete.Done(), Replace.Done())
	}
	if Action("later").Done() != "later" {
		t.Error("an unknown action must show as itself")
	}
}
