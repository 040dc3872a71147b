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
}

// wrap makes every command under cmd run inside start and finish. It does
// not use cobra's PersistentPostRunE because cobra skips that hook when the
// command fails, and a profile of a failing run is often the one wanted.
func (p *profileFlags) wrap(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		p.wrap(c)
	}
	switch {
	case cmd.RunE != nil:
		run := cmd.RunE
		cmd.RunE = func(c *cobra.Command, args []string) (err error) {
			if err := p.start(); err != nil {
				return err
			}
			defer func() {
				if ferr := p.finish(); err == nil {
					err = ferr
				}
			}()
			return run(c, args)
		}
	case cmd.Run != nil:
		run := cmd.Run
		cmd.Run = nil
		cmd.RunE = func(c *cobra.Command, args []string) error {
			if err := p.start(); err != nil {
				return err
			}
			run(c, args)
			return p.finish()
		}
	}
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
	stop := p.stop
	p.stop = nil
	return stop()
}
