package source

import (
	"fmt"
	"os"
	"strings"
)

// DefaultMaxInputSize bounds all input files together (--max-input-size).
// Memory follows the objects read, about eleven times their YAML
// (docs/benchmarks.md), and --max-file-size bounds one file only: many
// files each under it would still take gigabytes. 20 MiB is some 45,000
// MeshGatewayInstances with their MeshGateways.
const DefaultMaxInputSize = 20 << 20

func (r Reader) maxInputSize() int64 {
	if r.MaxInputSize > 0 {
		return r.MaxInputSize
	}
	return DefaultMaxInputSize
}

// checkTotal refuses, before anything is read, files whose sizes add up
// to more than the limit. Standard input is bounded by --max-file-size
// alone; a file that cannot be stat'ed is left for the read to report.
func (r Reader) checkTotal(files []string) error {
	if r.ReadFile != nil {
		return nil // a test seam: no file system to ask
	}
	limit := r.maxInputSize()
	var total int64
	n := 0
	for _, f := range files {
		if f == Stdin {
			continue
		}
		if info, err := os.Stat(f); err == nil {
			if info.Mode().IsRegular() && info.Size() > r.maxFileSize() {
				// The more precise message, as the read would give.
				return tooLarge(f, sizeString(info.Size()), r.maxFileSize())
			}
			total += info.Size()
			n++
		}
	}
	if total <= limit {
		return nil
	}
	return fmt.Errorf("%s: %d files hold %s, over the limit of %s for all input together (--max-input-size); apply the folders in separate runs, or raise --max-input-size",
		strings.Join(r.Paths, ", "), n, sizeString(total), sizeString(limit))
}
