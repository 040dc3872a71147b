package cluster

import (
	"strconv"
	"strings"

	"github.com/kubectl-mgi/kubectl-mgi/internal/finding"
)

// sourcePosition reads an Object's Source (file, file:line or
// file:line:column) back into a position.
func sourcePosition(src string) finding.Position {
	p := finding.Position{File: src}
	var nums []int
	for len(nums) < 2 {
		i := strings.LastIndexByte(p.File, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(p.File[i+1:])
		if err != nil || n <= 0 {
			break
		}
		nums = append([]int{n}, nums...)
		p.File = p.File[:i]
	}
	switch len(nums) {
	case 1:
		p.Line = nums[0]
	case 2:
		p.Line, p.Column = nums[0], nums[1]
	}
	return p
}
