package codec

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kubectl-mgi/kubectl-mgi/internal/parallel"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The YAML encoder spends most of render's time on scalars that need no
// care at all. appendDoc writes the documents that are plain block YAML
// (no comments, anchors, tags, multi-line or non-ASCII text) itself, in
// exactly the bytes kyaml's encoder would write (compact sequences, 2-space
// indent; emit_test.go checks the two agree), and reports false for
// anything else, which then goes through kyaml's encoder. The reader's
// bookkeeping annotations are left out on the way, so no copy is needed.

var skipAnnotation = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range readerAnnotations {
		m[a] = true
	}
	return m
}()

type emitter struct {
	buf []byte
	// shared remembers the bytes of pod specs that several objects share
	// (nil: none are remembered).
	shared *sharedBytes
	// filter is the metadata being written whose reader annotations are
	// left out (nil: none to leave out).
	filter *readerFilter
}

// readerFilter says where in one object's metadata the reader's
// annotations are: the pair of the annotations mapping (the first of that
// name holding a mapping, the first of that name holding a mapping) and whether
// nothing of it is kept.
type readerFilter struct {
	meta, ann *yaml.Node
	at        int // the index of the annotations key in meta.Content
	drop      bool
}

// podSpecPath is where a workload's pod spec sits. Generated Deployments
// share one pod spec node per distinct spec (Encoder), and it is four
// fifths of their text: it is written once and copied after. At this path
// the node is always written at the same indentation, so its bytes are
// the same wherever the same node appears.
var podSpecPath = [...]string{"spec", "template", "spec"}

// sharedBytes maps a pod spec node seen more than once in one WriteYAML
// call to its bytes. A node seen once costs a map entry, no copy: inputs'
// own Deployments each have their own.
type sharedBytes struct {
	mu     sync.Mutex
	m      map[*yaml.Node][]byte
	copied atomic.Int64 // for the tests: pod specs copied, not written
}

// get returns n's bytes if they are known; store says n was seen before,
// so its bytes are worth keeping once written.
func (s *sharedBytes) get(n *yaml.Node) (b []byte, store bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, seen := s.m[n]
	if !seen {
		if s.m == nil {
			s.m = map[*yaml.Node][]byte{}
		}
		s.m[n] = nil
	}
	return b, seen && b == nil
}

func (s *sharedBytes) put(n *yaml.Node, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[n] = append([]byte(nil), b...)
}

func (e *emitter) indent(n int) {
	for i := 0; i < n; i++ {
		e.buf = append(e.buf, ' ')
	}
}

// doc appends one object; on false the buffer is left as it was.
func (e *emitter) doc(n *yaml.Node) bool {
	start := len(e.buf)
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 || !e.mapping(n, 0, false, 0, 0) {
		e.buf = e.buf[:start]
		return false
	}
	return true
}

func plainNode(n *yaml.Node) bool {
	return n.Anchor == "" && n.Alias == nil && n.HeadComment == "" && n.LineComment == "" && n.FootComment == ""
}

// mapping writes the pairs of n at indent; inline means the first pair
// follows a "- " already written. depth counts mappings from the root, to
// find metadata.annotations; trail counts the steps of podSpecPath that
// lead to n (-1 when n is off that path).
func (e *emitter) mapping(n *yaml.Node, indent int, inline bool, depth, trail int) bool {
	if !plainNode(n) || n.Kind != yaml.MappingNode || n.Style != 0 {
		return false
	}
	first := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var filter *readerFilter
		if depth == 0 && k.Value == "metadata" && v.Kind == yaml.MappingNode {
			// The reader's annotations are skipped as the metadata is
			// written (an annotations mapping, or metadata, left with
			// nothing else is left out), without copying metadata or its
			// annotations.
			at, kept, skipped := readerAnnotationsOf(v)
			if skipped > 0 {
				if kept == 0 && len(v.Content) == 2 {
					continue // nothing would be left of metadata
				}
				filter = &readerFilter{meta: v, ann: v.Content[at+1], at: at, drop: kept == 0}
			}
		}
		if f := e.filter; f != nil {
			switch {
			case depth == 1 && n == f.meta && i == f.at && f.drop:
				continue
			case depth == 2 && n == f.ann && skipAnnotation[k.Value]:
				continue
			}
		}
		if !first || !inline {
			e.indent(indent)
		}
		first = false
		if !plainNode(k) || !e.scalar(k, true) {
			return false
		}
		e.buf = append(e.buf, ':')
		next := -1
		if trail >= 0 && trail < len(podSpecPath) && k.Value == podSpecPath[trail] {
			next = trail + 1
		}
		if filter != nil {
			e.filter = filter
		}
		ok := e.value(v, indent, depth, next)
		if filter != nil {
			e.filter = nil
		}
		if !ok {
			return false
		}
	}
	if first {
		// Every pair was skipped: the caller decides what empty means.
		return false
	}
	return true
}

// value writes what follows "key:"; trail is as for mapping.
func (e *emitter) value(v *yaml.Node, indent, depth, trail int) bool {
	if !plainNode(v) {
		return false
	}
	switch v.Kind {
	case yaml.ScalarNode:
		e.buf = append(e.buf, ' ')
		if !e.scalar(v, false) {
			return false
		}
		e.buf = append(e.buf, '\n')
		return true
	case yaml.MappingNode:
		if len(v.Content) == 0 {
			e.buf = append(e.buf, " {}\n"...)
			return true
		}
		e.buf = append(e.buf, '\n')
		if trail == len(podSpecPath) && e.shared != nil {
			return e.sharedMapping(v, indent+2, depth+1)
		}
		return e.mapping(v, indent+2, false, depth+1, trail)
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			e.buf = append(e.buf, " []\n"...)
			return true
		}
		e.buf = append(e.buf, '\n')
		return e.sequence(v, indent, depth)
	}
	return false
}

// sharedMapping writes the pod spec n, copying its bytes when the same
// node was written before in this call.
func (e *emitter) sharedMapping(n *yaml.Node, indent, depth int) bool {
	b, store := e.shared.get(n)
	if b != nil {
		e.buf = append(e.buf, b...)
		e.shared.copied.Add(1)
		return true
	}
	start := len(e.buf)
	if !e.mapping(n, indent, false, depth, -1) {
		return false
	}
	if store {
		e.shared.put(n, e.buf[start:])
	}
	return true
}

func (e *emitter) sequence(n *yaml.Node, indent, depth int) bool {
	if n.Style != 0 {
		return false
	}
	for _, item := range n.Content {
		if !plainNode(item) {
			return false
		}
		e.indent(indent)
		e.buf = append(e.buf, "- "...)
		switch {
		case item.Kind == yaml.ScalarNode:
			if !e.scalar(item, false) {
				return false
			}
			e.buf = append(e.buf, '\n')
		case item.Kind == yaml.MappingNode && len(item.Content) > 0:
			if !e.mapping(item, indent+2, true, depth+1, -1) {
				return false
			}
		case item.Kind == yaml.MappingNode:
			e.buf = append(e.buf, "{}\n"...)
		default:
			return false
		}
	}
	return true
}

// scalar writes a scalar as the encoder would choose to: plain when that
// reads back as the same value, else quoted.
func (e *emitter) scalar(n *yaml.Node, key bool) bool {
	v := n.Value
	if v == "" || len(v) > 128 || !printableASCII(v) {
		return false
	}
	switch n.Style {
	case yaml.DoubleQuotedStyle:
		e.doubleQuoted(v)
		return true
	case yaml.SingleQuotedStyle:
		e.singleQuoted(v)
		return true
	case 0:
	default:
		return false
	}
	if needsQuotes(n) || key && keyNeedsQuotes(n) {
		// A string some YAML 1.1 or 1.2 reader would read as something
		// else, or a key that reads as a number, boolean or null; Clean
		// marks the same ones for kyaml (quote.go).
		e.doubleQuoted(v)
		return true
	}
	resolved := resolveTag(v)
	switch resolved {
	case yaml.NodeTagString, yaml.NodeTagInt, yaml.NodeTagBool, yaml.NodeTagFloat, yaml.NodeTagNull:
	default:
		// A merge key, or text that is not a scalar on its own: rare
		// enough to leave to the encoder.
		return false
	}
	switch n.Tag {
	case "", yaml.NodeTagString:
		if n.Tag == yaml.NodeTagString && resolved != yaml.NodeTagString {
			e.doubleQuoted(v)
			return true
		}
	case yaml.NodeTagInt, yaml.NodeTagBool, yaml.NodeTagFloat:
		if resolved != n.Tag {
			return false
		}
	default:
		return false
	}
	if plainAllowed(v) {
		e.buf = append(e.buf, v...)
	} else {
		e.singleQuoted(v)
	}
	return true
}

func (e *emitter) doubleQuoted(v string) {
	e.buf = append(e.buf, '"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			e.buf = append(e.buf, '\\')
		}
		e.buf = append(e.buf, v[i])
	}
	e.buf = append(e.buf, '"')
}

func (e *emitter) singleQuoted(v string) {
	e.buf = append(e.buf, '\'')
	e.buf = append(e.buf, strings.ReplaceAll(v, "'", "''")...)
	e.buf = append(e.buf, '\'')
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// plainAllowed follows libyaml's analysis of a single-line printable scalar
// in block context.
func plainAllowed(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' || strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	if strings.IndexByte("#,[]{}&*!|>'\"%@`", s[0]) >= 0 {
		return false
	}
	if strings.IndexByte("?:-", s[0]) >= 0 && (len(s) == 1 || s[1] == ' ') {
		return false
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case ':':
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case '#':
			if s[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

// resolveTag is the tag a plain scalar reads back as. Only values that can
// be something other than a string are asked of the YAML decoder, and its
// answers are remembered: the same ports and flags recur in every object.
func resolveTag(v string) string {
	if strings.IndexByte("0123456789+-.~nNtTfFyYoO<", v[0]) < 0 {
		return yaml.NodeTagString
	}
	if t, ok := resolved.Load(v); ok {
		return t.(string)
	}
	var n yaml.Node
	tag := ""
	// Trust the decoder only where it read v back as one plain scalar with
	// the same text; anything else ("---", "- x") is declined.
	if err := yaml.Unmarshal([]byte(v), &n); err == nil && len(n.Content) == 1 {
		if c := n.Content[0]; c.Kind == yaml.ScalarNode && c.Style == 0 && c.Value == v {
			tag = c.Tag
		}
	}
	resolved.Store(v, tag)
	return tag
}

var resolved sync.Map

// readerAnnotationsOf finds metadata's annotations: at is the index of their key (-1: none),
// kept and skipped count the pairs it keeps and leaves out.
func readerAnnotationsOf(meta *yaml.Node) (at, kept, skipped int) {
	for i := 0; i+1 < len(meta.Content); i += 2 {
		if meta.Content[i].Value != "annotations" || meta.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		ann := meta.Content[i+1]
		for j := 0; j+1 < len(ann.Content); j += 2 {
			if skipAnnotation[ann.Content[j].Value] {
				skipped++
			} else {
				kept++
			}
		}
		return i, kept, skipped
	}
	return -1, 0, 0
}

// encodeDocs encodes each node, the fast way where it can and through
// kyaml's encoder where it cannot, on all cores; out[i] is nodes[i].
// shared carries the bytes of shared pod specs across calls.
func encodeDocs(nodes []*yaml.RNode, shared *sharedBytes) ([][]byte, error) {
	out := make([][]byte, len(nodes))
	errs := make([]error, len(nodes))
	parallel.Each(len(nodes), func(i int) {
		buf := scratch.Get().(*[]byte)
		defer scratch.Put(buf)
		e := emitter{buf: (*buf)[:0], shared: shared}
		if d := nodes[i].Document(); plainNode(d) && e.doc(nodes[i].YNode()) {
			out[i] = append([]byte(nil), e.buf...)
			*buf = e.buf
			return
		}
		*buf = e.buf
		out[i], errs[i] = slowDoc(nodes[i])
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scratch holds the emitters' buffers: a document is written into one and
// copied out at its size, instead of growing its own buffer from nothing.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func slowDoc(n *yaml.RNode) ([]byte, error) {
	clean, err := Clean([]*yaml.RNode{n})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := (kio.ByteWriter{Writer: &b}).Write(clean); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
