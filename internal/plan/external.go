package plan

import "github.com/kubectl-mgi/kubectl-mgi/internal/diff"

// DiffPairs are the plan's objects as KUBECTL_EXTERNAL_DIFF's program sees
// them, one pair of files per object, in plan order, named as kubectl diff
// names them. Unchanged objects are there too (two equal files), as kubectl
// diff writes every object it was given. A change without a desired
// object (a take-over, an object the server rejected, a conflict that
// could not be previewed) has no files: an empty merged file would read as
// a deletion. A deletion's merged file is empty, a creation's live file.
func DiffPairs(p *Plan) []diff.Pair {
	if p == nil {
		return nil
	}
	var pairs []diff.Pair
	for _, c := range p.Changes {
		if c.After == "" && c.Action != Delete {
			continue
		}
		r := c.Object
		pairs = append(pairs, diff.Pair{Name: diff.FileName(r.Group, r.Version, r.Kind, r.Namespace, r.Name), Live: c.Before, Desired: c.After})
	}
	return pairs
}
