package plan

// Exit codes of `plan --detailed-exitcode` that depend on the plan. An error
// (1) is decided by the caller, which never gets a plan in that case.
const (
	// ExitNoChanges: the cluster matches the directory.
	ExitNoChanges = 0
	// ExitError: the plan holds an object the server rejected or an error
	// finding; apply would fail.
	ExitError = 1
	// ExitChanges: applying would create, update, delete, or hit conflicts.
	ExitChanges = 2
)

// ExitCode is the exit status for a plan that was computed: 1 when it holds
// errors (rejected objects, error findings), whatever detailed says. Else,
// without detailed, 0; with it, 2 when anything would change (conflicts and
// replacements count as changes, since apply would not succeed as is) and 0
// otherwise.
func ExitCode(p *Plan, detailed bool) int {
	if p != nil && p.HasErrors() {
		return ExitError
	}
	if !detailed || p == nil || !p.HasChanges() {
		return ExitNoChanges
	}
	return ExitChanges
}
