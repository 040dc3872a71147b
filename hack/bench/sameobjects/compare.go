package main

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"sigs.k8s.io/yaml"
)

// result counts the objects of both sides by how close they are.
type result struct {
	render, helm int // Deployments and Services on each side
	identical    int // the same bytes
	equal        int // the same once parsed, spelled differently
	differ       int
	onlyRender   []string
	onlyHelm     []string
	first        string // a unified diff of the first object that differs, if any
}

func (r result) same() bool {
	return r.differ == 0 && len(r.onlyRender) == 0 && len(r.onlyHelm) == 0
}

func (r result) summary() string {
	s := fmt.Sprintf("%d Deployments and Services from render, %d from helm: %d byte-identical, %d equal once parsed, %d different, %d only in render, %d only in helm",
		r.render, r.helm, r.identical, r.equal, r.differ, len(r.onlyRender), len(r.onlyHelm))
	if len(r.onlyRender) > 0 {
		s += "\nonly in render, first: " + r.onlyRender[0]
	}
	if len(r.onlyHelm) > 0 {
		s += "\nonly in helm, first: " + r.onlyHelm[0]
	}
	return s
}

// object is one document of a stream: its text and what it parses to.
type object struct {
	text   string
	parsed map[string]any
}

func compare(render, helm []byte) (result, error) {
	a, err := objects(render)
	if err != nil {
		return result{}, fmt.Errorf("render output: %w", err)
	}
	b, err := objects(helm)
	if err != nil {
		return result{}, fmt.Errorf("helm output: %w", err)
	}
	r := result{render: len(a), helm: len(b)}
	for _, id := range sortedKeys(a) {
		x := a[id]
		y, ok := b[id]
		switch {
		case !ok:
			r.onlyRender = append(r.onlyRender, id)
		case x.text == y.text:
			r.identical++
		case reflect.DeepEqual(x.parsed, y.parsed):
			r.equal++
		default:
			r.differ++
			if r.first == "" {
				r.first, _ = difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
					A: difflib.SplitLines(x.text), B: difflib.SplitLines(y.text),
					FromFile: "render " + id, ToFile: "helm " + id, Context: 2,
				})
			}
		}
	}
	for _, id := range sortedKeys(b) {
		if _, ok := a[id]; !ok {
			r.onlyHelm = append(r.onlyHelm, id)
		}
	}
	return r, nil
}

// objects reads a stream's Deployments and Services by Kind/namespace/name;
// other kinds (render passes the MeshGateways through) are left out.
func objects(stream []byte) (map[string]object, error) {
	out := map[string]object{}
	for i, doc := range documents(stream) {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		kind, _ := m["kind"].(string)
		if kind != "Deployment" && kind != "Service" {
			continue
		}
		meta, _ := m["metadata"].(map[string]any)
		ns, _ := meta["namespace"].(string)
		name, _ := meta["name"].(string)
		id := kind + "/" + ns + "/" + name
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("document %d: %s appears twice", i+1, id)
		}
		out[id] = object{text: doc, parsed: m}
	}
	return out, nil
}

// documents splits a stream at "---" lines and drops helm's "# Source:"
// comments and empty documents.
func documents(stream []byte) []string {
	var docs []string
	var cur strings.Builder
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			docs = append(docs, cur.String())
		}
		cur.Reset()
	}
	for line := range bytes.Lines(stream) {
		switch {
		case bytes.Equal(bytes.TrimRight(line, "\r\n"), []byte("---")):
			flush()
		case bytes.HasPrefix(line, []byte("# Source: ")):
		default:
			cur.Write(line)
		}
	}
	flush()
	return docs
}

func sortedKeys(m map[string]object) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
