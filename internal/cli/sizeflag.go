package cli

import (
	"fmt"

	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubectl-mgi/kubectl-mgi/internal/source"
)

// sizeFlag is a byte count written as a Kubernetes quantity (10Mi, 500k,
// 1048576), so a bad value is a flag error at parse time.
type sizeFlag struct{ n *int64 }

func (f sizeFlag) String() string {
	if f.n == nil {
		return ""
	}
	return resource.NewQuantity(*f.n, resource.BinarySI).String()
}

func (f sizeFlag) Set(s string) error {
	q, err := resource.ParseQuantity(s)
	if err != nil || q.Sign() <= 0 {
		return fmt.Errorf("%q is not a size above 0 (say 10Mi or 50M)", s)
	}
	*f.n = q.Value()
	return nil
}

func (sizeFlag) Type() string { return "size" }

// bindMaxFileSize adds --max-file-size, defaulting *n to the reader's limit.
func bindMaxFileSize(fs *pflag.FlagSet, n *int64) {
	if *n == 0 {
		*n = source.DefaultMaxFileSize
	}
	fs.Var(sizeFlag{n}, "max-file-size", "largest input file (and standard input) read, as a quantity (10Mi, 50M); larger files are an error")
}

// bindMaxInputSize adds --max-input-size, defaulting *n to the reader's limit.
func bindMaxInputSize(fs *pflag.FlagSet, n *int64) {
	if *n == 0 {
		*n = source.DefaultMaxInputSize
	}
	fs.Var(sizeFlag{n}, "max-input-size", "most input read in all, every file together, as a quantity (say 50Mi); more is an error before anything is read, as memory follows the input")
}
