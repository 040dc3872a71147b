package cli

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// colorEnabled decides --color: always and never are what they say; auto
// colors only a terminal, and only when NO_COLOR (https://no-color.org) is
// unset or empty.
func colorEnabled(mode string, out io.Writer, getenv func(string) string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		if getenv("NO_COLOR") != "" {
			return false, nil
		}
		f, ok := out.(*os.File)
		return ok && term.IsTerminal(int(f.Fd())), nil
	default:
		return false, fmt.Errorf("--color %q is not supported; use auto, always or never", mode)
	}
}
