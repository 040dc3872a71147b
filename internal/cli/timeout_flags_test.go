package cli

import (
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// Durations that cannot mean what they say are flag errors, found before
// any input is read or request sent.
func TestTimeoutFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"apply", "x", "--wait", "--timeout", "0s"}, "--timeout 0s: must be above 0"},
		{[]string{"apply", "x", "--timeout", "-5s"}, "--timeout -5s: must be above 0"},
		{[]string{"apply", "x", "--timeout", "soon"}, `invalid argument "soon" for "--timeout"`},
		{[]string{"apply", "x", "--request-timeout", "soon"}, `--request-timeout "soon": not a duration`},
		{[]string{"plan", "x", "--request-timeout", "-1s"}, `--request-timeout "-1s": must not be negative`},
	} {
		streams, _, _, _ := genericiooptions.NewTestIOStreams()
		cmd := NewRootCmd(streams)
		cmd.SetArgs(tc.args)
		err := cmd.Execute()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	if def := NewPlanCmd(streams).Flags().Lookup("request-timeout").DefValue; def != "30s" {
		t.Errorf("--request-timeout defaults to %q, want 30s", def)
	}
}
