//go:build unix

package source

import "syscall"

// nonBlock keeps open from waiting for a writer should a FIFO be swapped in
// after the check.
const nonBlock = syscall.O_NONBLOCK
