package cli

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profileFlags are kubectl's --profile and --profile-output: a CPU or heap
// profile of one run, for finding out where time goes on a large directory.
type profileFlags struct {
	Kind   string
	Output string
	stop   func() error
}

func (p *profileFlags) bind(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&p.Kind, "profile", "none", "profile to capture: none, cpu or heap")
	cmd.PersistentFlags().StringVar(&p.Output, "profile-output", "profile.pprof", "file to write the profile to")
	cmd.PersistentPreRunE = func(*cobra.Command, []string) error { return p.start() }
	cmd.PersistentPostRunE = func(*cobra.Command, []string) error { return p.finish() }
}

func (p *profileFlags) start() error {
	switch p.Kind {
	case "none":
		return nil
	case "cpu":
		f, err := os.Create(p.Output)
		if err != nil {
			return fmt.Errorf("--profile-output: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--profile cpu: %w", err)
		}
		p.stop = func() error { pprof.StopCPUProfile(); return f.Close() }
	case "heap":
		p.stop = func() error {
			f, err := os.Create(p.Output)
			if err != nil {
				return fmt.Errorf("--profile-output: %w", err)
			}
			runtime.GC()
			if err := pprof.WriteHeapProfile(f); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}
	default:
		return fmt.Errorf("--profile %q is not supported; use none, cpu or heap", p.Kind)
	}
	return nil
}

func (p *profileFlags) finish() error {
	if p.stop == nil {
		return nil
	}
	return p.stop()
}
