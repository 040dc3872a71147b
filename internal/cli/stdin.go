package cli

import (
	"bytes"
	"fmt"
	"io"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// readInputs buffers standard input when "-" is among the paths, so that
// commands which read the inputs more than once see the same bytes each
// time. It returns a function giving a fresh reader.
func readInputs(streams genericiooptions.IOStreams, paths []string) (func() io.Reader, error) {
	var data []byte
	for _, p := range paths {
		if p == "-" && streams.In != nil {
			b, err := io.ReadAll(streams.In)
			if err != nil {
				return nil, fmt.Errorf("reading standard input: %w", err)
			}
			data = b
			break
		}
	}
	return func() io.Reader { return bytes.NewReader(data) }, nil
}
