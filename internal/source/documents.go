package source

import (
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// document is one document of a file as splitDocuments cuts it. A file is
// cut into documents at separator lines and each is parsed on its own, as
// kio's ByteReader does (the reference: reference_test.go), or, for a plain
// file, all with one decoder, which gives the same nodes for less
// (parseStream).
type document struct {
	text string
	line int // 1-based line of the document's first line in the file
	err  string
}

// splitDocuments cuts text at separator lines: every line that starts with
// --- (kio's rule; the line may go on with a comment only). It scans lines
// instead of running a regular expression: the scan is most of the cost of
// finding a few hundred separators in a file.
func splitDocuments(text string) []document {
	var docs []document
	start, line := 0, 1 // the current document's offset and first line
	at := 1             // the line number of the line starting at i
	for i := 0; i < len(text); {
		end := strings.IndexByte(text[i:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += i
		}
		if strings.HasPrefix(text[i:end], "---") {
			docs = append(docs, document{text: text[start:i], line: line})
			if rest := strings.TrimSpace(text[i+3 : end]); rest != "" && !strings.HasPrefix(rest, "#") {
				docs = append(docs, document{line: at, err: fmt.Sprintf("invalid document separator %q: a separator line holds only --- (and a comment)", strings.TrimSpace(text[i:end]))})
			}
			start, line = min(end+1, len(text)), at+1
		}
		i, at = end+1, at+1
	}
	return append(docs, document{text: text[start:], line: line})
}

// parseDocument reads one document with yaml's decoder, as kio's ByteReader
// does for the one document it gets here (the separators are cut already,
// so it would find no other): the same nodes, comments, styles and lines,
// without the ByteReader's per-call regular expression, copies and
// metadata decoding. It returns nil for an empty document.
func parseDocument(text string) (*yaml.RNode, error) {
	if blank(text) {
		return nil, nil
	}
	// The ByteReader turns \r\n into \n once more, so a file's \r\r\n
	// ends as \n: do the same (without a copy when there is none).
	text = strings.ReplaceAll(text, "\r\n", "\n")
	node := &yaml.Node{}
	if err := yaml.NewDecoder(strings.NewReader(text)).Decode(node); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, fmt.Errorf("MalformedYAMLError: %w", err)
	}
	if node.Kind == yaml.DocumentNode && node.Content[0].Tag == yaml.NodeTagNull {
		return nil, nil // a document that is only null
	}
	return yaml.NewRNode(node), nil
}

// parseStream parses a whole file with one decoder, which costs much less
// than a decoder per document (each takes kilobytes to start), when that
// gives exactly the nodes parseEach gives; ok is false otherwise, and
// parseEach must run. That is so for the plainest files, which most
// generated and hand-written directories of gateways are: no comment
// (where one document ends and the next begins decides which node holds
// it), separator lines that are --- alone, no directive (%) or document
// end (...) lines, no line breaks but \n (yaml counts others, the
// splitter does not), no byte order mark, no alias (one could point into
// another document, which documents read one by one refuse), no error
// (one stops the decoder; parseEach reports each document's), and every
// document the splitter found paired with one the decoder found.
func parseStream(text string, docs []document) ([]parsed, bool) {
	if !plain(text) {
		return nil, false
	}
	dec := yaml.NewDecoder(strings.NewReader(text))
	var nodes []*yaml.Node
	var sizes []int
	for {
		n := &yaml.Node{}
		if err := dec.Decode(n); err == io.EOF {
			break
		} else if err != nil {
			return nil, false
		}
		size, ok := aliasFree(n.Content[0])
		if !ok {
			return nil, false
		}
		nodes, sizes = append(nodes, n), append(sizes, size)
	}
	out := make([]parsed, 0, len(docs))
	switch len(nodes) {
	case len(docs):
	case len(docs) - 1: // text before the first --- holds no document
		if !blank(docs[0].text) {
			return nil, false
		}
		out = append(out, parsed{document: docs[0]})
		docs = docs[1:]
	default:
		return nil, false
	}
	for i, n := range nodes {
		p := parsed{document: docs[i]}
		empty := n.Content[0].Tag == yaml.NodeTagNull
		switch {
		case blank(p.text) && !empty:
			return nil, false
		case !empty:
			// A document read alone starts where its content starts (after
			// --- the decoder puts it on the --- line), and its own line
			// is never shifted to the file (shift starts below it).
			n.Line, n.Column = n.Content[0].Line-(p.line-1), n.Content[0].Column
			p.node, p.global, p.nodes = yaml.NewRNode(n), true, sizes[i]
		}
		out = append(out, p)
	}
	return out, true
}

// plain reports whether text is free of everything that parseStream
// cannot read as parseEach does.
func plain(text string) bool {
	start := true // at the start of a line
	for i := 0; i < len(text); i++ {
		if start {
			rest := text[i:]
			if rest[0] == '%' || strings.HasPrefix(rest, "...") || strings.HasPrefix(rest, "---") && len(rest) > 3 && rest[3] != '\n' {
				return false
			}
		}
		switch c := text[i]; c {
		case '#', '\r':
			return false
		case 0xc2, 0xe2, 0xef: // the lead bytes of U+0085, U+2028, U+2029 and U+FEFF
			if rest := text[i:]; strings.HasPrefix(rest, "\u0085") || strings.HasPrefix(rest, "\u2028") || strings.HasPrefix(rest, "\u2029") || strings.HasPrefix(rest, "\ufeff") {
				return false
			}
		}
		start = text[i] == '\n'
	}
	return true
}

// blank reports whether text holds nothing but blank and comment lines.
func blank(text string) bool {
	for l := range strings.SplitSeq(text, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}

// parsed is one document of a file, parsed.
type parsed struct {
	document
	node *yaml.RNode // nil for an empty document or an error
	err  error       // the parser's
	// global is set when the node's lines count from the top of the file
	// already and it holds no alias (parseStream), not from the top of
	// the document; nodes is then how many nodes it has.
	global bool
	nodes  int
}

// parseEach parses the documents one by one.
func parseEach(docs []document, parse func(string) (*yaml.RNode, error)) []parsed {
	out := make([]parsed, len(docs))
	for i, d := range docs {
		out[i].document = d
		if d.err == "" {
			out[i].node, out[i].err = parse(d.text)
		}
	}
	return out
}
