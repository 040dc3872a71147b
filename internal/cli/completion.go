package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// CompletionOptions are the inputs of `completion SHELL`.
type CompletionOptions struct {
	IO genericiooptions.IOStreams
	// Script writes the completion script; the command fills it from the
	// root command, tests with anything.
	Script func(w io.Writer) error
}

// completionShell is one `completion` subcommand: how cobra writes its
// script and how a user installs it.
type completionShell struct {
	name    string
	install string
	script  func(root *cobra.Command, w io.Writer, descriptions bool) error
}

// pluginNote is the same for every shell: the scripts complete the
// kubectl-mgi executable; `kubectl mgi <TAB>` goes through kubectl.
const pluginNote = `
The script completes the kubectl-mgi command. To complete "kubectl mgi <TAB>"
as well, kubectl 1.26 or later (with its own completion loaded) runs an
executable named kubectl_complete-mgi from your PATH. Put the two-line script
from the release archive there (it is also hack/kubectl_complete-mgi in the
repository):

  install -m 0755 kubectl_complete-mgi ~/.local/bin/   # any folder on PATH`

var completionShells = []completionShell{
	{
		name: "bash",
		install: `It needs the bash-completion package (version 2): "type _init_completion"
must succeed in a new shell.

  # This shell only
  source <(kubectl mgi completion bash)

  # Every new shell, for you
  mkdir -p ~/.local/share/bash-completion/completions
  kubectl mgi completion bash > ~/.local/share/bash-completion/completions/kubectl-mgi

  # Every new shell, for everybody (Linux; on macOS with Homebrew use
  # $(brew --prefix)/etc/bash_completion.d instead)
  kubectl mgi completion bash | sudo tee /etc/bash_completion.d/kubectl-mgi >/dev/null`,
		script: func(root *cobra.Command, w io.Writer, desc bool) error { return root.GenBashCompletionV2(w, desc) },
	},
	{
		name: "zsh",
		install: `Completion must be enabled in zsh; if it is not, add this to ~/.zshrc once:

  autoload -U compinit; compinit

  # This shell only
  source <(kubectl mgi completion zsh)

  # Every new shell: write the script into a folder on $fpath
  kubectl mgi completion zsh > "${fpath[1]}/_kubectl-mgi"

Start a new shell for it to take effect.`,
		script: func(root *cobra.Command, w io.Writer, desc bool) error {
			if desc {
				return root.GenZshCompletion(w)
			}
			return root.GenZshCompletionNoDesc(w)
		},
	},
	{
		name: "fish",
		install: `  # This shell only
  kubectl mgi completion fish | source

  # Every new shell
  kubectl mgi completion fish > ~/.config/fish/completions/kubectl-mgi.fish`,
		script: func(root *cobra.Command, w io.Writer, desc bool) error { return root.GenFishCompletion(w, desc) },
	},
	{
		name: "powershell",
		install: `  # This shell only
  kubectl mgi completion powershell | Out-String | Invoke-Expression

  # Every new shell: add the line above to your profile
  Add-Content $PROFILE 'kubectl mgi completion powershell | Out-String | Invoke-Expression'`,
		script: func(root *cobra.Command, w io.Writer, desc bool) error {
			if desc {
				return root.GenPowerShellCompletionWithDesc(w)
			}
			return root.GenPowerShellCompletion(w)
		},
	},
}

var _ = register(NewCompletionCmd)

// NewCompletionCmd builds `kubectl mgi completion` with one subcommand per
// shell. Defining it replaces cobra's default completion command, so the
// install notes can talk about kubectl plugins.
func NewCompletionCmd(streams genericiooptions.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion",
		Short: "Print a shell completion script (bash, zsh, fish or powershell)",
		Long: `completion prints a script that makes your shell complete kubectl mgi's
commands, flags and arguments. "kubectl mgi completion SHELL --help" says how
to install it for that shell.
` + pluginNote,
		Example: `  # Try it in the current bash
  source <(kubectl mgi completion bash)`,
		// Without a shell there is nothing to print: name the choices.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("completion: unknown shell %q; use bash, zsh, fish or powershell", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return fmt.Errorf("completion: name a shell: bash, zsh, fish or powershell (see kubectl mgi completion --help)")
		},
	}
	for _, sh := range completionShells {
		cmd.AddCommand(newCompletionShellCmd(streams, sh))
	}
	return cmd
}

func newCompletionShellCmd(streams genericiooptions.IOStreams, sh completionShell) *cobra.Command {
	o := &CompletionOptions{IO: streams}
	var noDescriptions bool
	cmd := &cobra.Command{
		Use:   sh.name,
		Short: "Print the completion script for " + sh.name,
		Long: "completion " + sh.name + " prints the " + sh.name + " completion script for kubectl mgi.\n\n" +
			sh.install + "\n" + pluginNote,
		Args:                  cobra.NoArgs,
		DisableFlagsInUseLine: true,
		ValidArgsFunction:     cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			root := cmd.Root()
			o.Script = func(w io.Writer) error { return sh.script(root, w, !noDescriptions) }
			return runCompletion(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&noDescriptions, "no-descriptions", false, "complete without descriptions of the choices")
	return cmd
}

func runCompletion(_ context.Context, o *CompletionOptions) error {
	if err := o.Script(o.IO.Out); err != nil {
		return fmt.Errorf("completion: writing the script: %w", err)
	}
	return nil
}
