package diff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// ExternalEnv is kubectl diff's variable naming the program that shows
// the differences; plan honours it the same way.
const ExternalEnv = "KUBECTL_EXTERNAL_DIFF"

// External is the program of KUBECTL_EXTERNAL_DIFF, split as kubectl diff
// splits it: at single spaces, the first word the program, and of the rest
// only the words of letters, digits, '-' and '=' (kubectl drops any other
// word, so that the variable cannot smuggle shell syntax or paths).
type External struct {
	Program string
	Args    []string
	// Dropped are the words kubectl's rule left out, for a warning.
	Dropped []string
}

// externalArg is kubectl's rule for a word of KUBECTL_EXTERNAL_DIFF.
var externalArg = regexp.MustCompile(`^[a-zA-Z0-9-=]+$`)

// ParseExternal reads the variable's value; ok is false when it names no
// program (unset or empty), and plan then shows its own diff.
func ParseExternal(value string) (e External, ok bool) {
	if value == "" {
		return External{}, false
	}
	words := strings.Split(value, " ")
	e.Program = words[0]
	for _, w := range words[1:] {
		if externalArg.MatchString(w) {
			e.Args = append(e.Args, w)
		} else if w != "" {
			e.Dropped = append(e.Dropped, w)
		}
	}
	return e, e.Program != ""
}

// Pair is one object as the external program sees it: a file of the same
// name in the live and in the merged directory, each holding the object's
// YAML ("" for an absent side: an empty file, as kubectl writes it).
type Pair struct {
	Name          string
	Live, Desired string
}

// FileName is the name kubectl diff gives an object's files:
// group.version.kind.namespace.name, the group and its dot left out for the
// core group, the namespace empty for a cluster-scoped object
// (apps.v1.Deployment.shop.edge, v1.Namespace..shop).
func FileName(group, version, kind, namespace, name string) string {
	prefix := ""
	if group != "" {
		prefix = group + "."
	}
	return prefix + strings.Join([]string{version, kind, namespace, name}, ".")
}

// Run writes the pairs into two new temporary directories, LIVE-* and
// MERGED-* as kubectl names them, runs the program on them with kubectl's
// argument order (live directory, merged directory, then the words of the
// variable) and removes them. The program's output goes to out and errOut.
// As kubectl diff, exit status 0 (no differences) and 1 (differences) are
// success and anything above is an error.
func (e External) Run(ctx context.Context, pairs []Pair, out, errOut io.Writer) error {
	live, err := os.MkdirTemp("", "LIVE-")
	if err != nil {
		return fmt.Errorf("%s: create the live directory: %w", ExternalEnv, err)
	}
	defer os.RemoveAll(live)
	merged, err := os.MkdirTemp("", "MERGED-")
	if err != nil {
		return fmt.Errorf("%s: create the merged directory: %w", ExternalEnv, err)
	}
	defer os.RemoveAll(merged)
	for _, p := range pairs {
		// 0600: with --show-secrets the files hold Secret data.
		if err := os.WriteFile(filepath.Join(live, p.Name), []byte(p.Live), 0o600); err != nil {
			return fmt.Errorf("%s: write %s: %w", ExternalEnv, p.Name, err)
		}
		if err := os.WriteFile(filepath.Join(merged, p.Name), []byte(p.Desired), 0o600); err != nil {
			return fmt.Errorf("%s: write %s: %w", ExternalEnv, p.Name, err)
		}
	}
	cmd := exec.CommandContext(ctx, e.Program, append([]string{live, merged}, e.Args...)...)
	cmd.Stdout, cmd.Stderr = out, errOut
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return nil // differences found
	case errors.As(err, &exit) && exit.ExitCode() > 1:
		return fmt.Errorf("%s program %q exited with status %d: a diff program exits 0 (no differences) or 1 (differences); fix the program or unset %s to see kubectl-mgi's own diff", ExternalEnv, e.Program, exit.ExitCode(), ExternalEnv)
	default:
		return fmt.Errorf("%s program %q: %w; install it, or unset %s to see kubectl-mgi's own diff", ExternalEnv, e.Program, err, ExternalEnv)
	}
}
