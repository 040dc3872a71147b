package codec

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// readerAnnotations are the bookkeeping annotations that never reach output.
var readerAnnotations = []string{
	//lint:ignore SA1019 kyaml v0.21's own ByteReader still sets the legacy names (and ByteWriter clears them); objects carry both forms
	kioutil.PathAnnotation, kioutil.LegacyPathAnnotation,
	//lint:ignore SA1019 as above
	kioutil.IndexAnnotation, kioutil.LegacyIndexAnnotation,
	//lint:ignore SA1019 as above
	kioutil.IdAnnotation, kioutil.LegacyIdAnnotation,
	kioutil.SeqIndentAnnotation,
}

// Clean returns copies of nodes without the reader's annotations, with
// every string that a YAML 1.1 or 1.2 reader would read as something else
// marked double-quoted (quote.go).
func Clean(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	out := make([]*yaml.RNode, len(nodes))
	for i, n := range nodes {
		c := n.Copy()
		quoteAmbiguous(c.YNode())
		for _, a := range readerAnnotations {
			if err := c.PipeE(yaml.ClearAnnotation(a)); err != nil {
				return nil, err
			}
		}
		if err := yaml.ClearEmptyAnnotations(c); err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// WriteYAML writes the objects as a YAML stream, documents separated by
// ---, without the reader's annotations. The bytes are those of kyaml's
// ByteWriter (see emit.go for why it is not called for every object).
func WriteYAML(w io.Writer, nodes []*yaml.RNode) error {
	return writeYAML(w, nodes, &sharedBytes{})
}

func writeYAML(w io.Writer, nodes []*yaml.RNode, shared *sharedBytes) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	// Encode a chunk at a time, so a large render never holds all of its
	// text in memory at once.
	const chunk = 512
	for start := 0; start < len(nodes); start += chunk {
		docs, err := encodeDocs(nodes[start:min(start+chunk, len(nodes))], shared)
		if err != nil {
			return err
		}
		for i, d := range docs {
			if start+i > 0 {
				bw.WriteString("---\n")
			}
			bw.Write(d)
		}
	}
	return bw.Flush()
}

// WriteJSON writes the objects as a kubectl-style v1 List, which
// `kubectl apply -f -` accepts as is.
func WriteJSON(w io.Writer, nodes []*yaml.RNode) error {
	clean, err := Clean(nodes)
	if err != nil {
		return err
	}
	items := make([]json.RawMessage, len(clean))
	for i, n := range clean {
		b, err := n.MarshalJSON()
		if err != nil {
			return fmt.Errorf("encoding %s/%s as JSON: %w", n.GetKind(), n.GetName(), err)
		}
		items[i] = b
	}
	list := struct {
		APIVersion string            `json:"apiVersion"`
		Kind       string            `json:"kind"`
		Items      []json.RawMessage `json:"items"`
	}{"v1", "List", items}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(list)
}
