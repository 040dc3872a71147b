package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// execute runs the root command with args and returns stdout and the error.
func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := NewRootCmd(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestCompletionScripts(t *testing.T) {
	// Each script must register itself for the kubectl-mgi executable and
	// call back into its __complete command.
	for shell, marks := range map[string][]string{
		"bash":       {"# bash completion V2 for kubectl-mgi", "complete -o default -F __start_kubectl-mgi kubectl-mgi", "__complete"},
		"zsh":        {"#compdef kubectl-mgi", "compdef _kubectl-mgi kubectl-mgi", "__complete"},
		"fish":       {"# fish completion for kubectl-mgi", "complete -c kubectl-mgi", "__complete"},
		"powershell": {"# powershell completion for kubectl-mgi", "Register-ArgumentCompleter -CommandName 'kubectl-mgi'", "__complete"},
	} {
		t.Run(shell, func(t *testing.T) {
			out, err := execute(t, "completion", shell)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range marks {
				if !strings.Contains(out, m) {
					t.Errorf("%s script lacks %q", shell, m)
				}
			}
		})
	}
}

func TestCompletionWithoutDescriptions(t *testing.T) {
	with, err := execute(t, "completion", "zsh")
	if err != nil {
		t.Fatal(err)
	}
	without, err := execute(t, "completion", "zsh", "--no-descriptions")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(without, "__completeNoDesc") || strings.Contains(with, "__completeNoDesc") {
		t.Fatal("--no-descriptions does not switch the script to __completeNoDesc")
	}
}

func TestCompletionNeedsAKnownShell(t *testing.T) {
	for args, want := range map[string]string{
		"":     "completion: name a shell: bash, zsh, fish or powershell",
		"tcsh": `completion: unknown shell "tcsh"; use bash, zsh, fish or powershell`,
	} {
		argv := []string{"completion"}
		if args != "" {
			argv = append(argv, args)
		}
		out, err := execute(t, argv...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("completion %s: err = %v, want %q", args, err, want)
		}
		if out != "" {
			t.Errorf("completion %s printed %q", args, out)
		}
	}
}

func TestCompletionHelpHasInstallNotes(t *testing.T) {
	for shell, note := range map[string]string{
		"bash":       "~/.local/share/bash-completion/completions/kubectl-mgi",
		"zsh":        `"${fpath[1]}/_kubectl-mgi"`,
		"fish":       "~/.config/fish/completions/kubectl-mgi.fish",
		"powershell": "Add-Content $PROFILE",
	} {
		out, err := execute(t, "completion", shell, "--help")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, note) || !strings.Contains(out, "kubectl_complete-mgi") {
			t.Errorf("completion %s --help lacks its install notes:\n%s", shell, out)
		}
	}
}

// The protocol kubectl_complete-mgi relies on: __complete lists commands.
func TestCompleteListsCommands(t *testing.T) {
	out, err := execute(t, "__complete", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"completion\t", "render\t", "validate\t", "version\t"} {
		if !strings.Contains(out, "\n"+c) && !strings.HasPrefix(out, c) {
			t.Errorf("__complete lacks %q:\n%s", c, out)
		}
	}
	out, err = execute(t, "__complete", "completion", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "bash\t") || !strings.Contains(out, "\npowershell\t") {
		t.Errorf("shells not completed:\n%s", out)
	}
}

func TestRunCompletionWrapsWriteErrors(t *testing.T) {
	boom := errors.New("disk full")
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	err := runCompletion(context.Background(), &CompletionOptions{IO: streams, Script: func(io.Writer) error { return boom }})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "completion: writing the script: ") {
		t.Fatalf("err = %v", err)
	}
}
