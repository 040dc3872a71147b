package config

import "flag"

// This package keeps no golden files. The flag is defined all the same so
// that `go test ./... -run Golden -update` (which hands -update to every
// package) rewrites the goldens elsewhere instead of failing here.
var _ = flag.Bool("update", false, "no golden files in this package")
