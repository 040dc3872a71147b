package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// complete runs cobra's __complete for args and returns the values it
// offers (without the directive line).
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := execute(t, append([]string{"__complete"}, args...)...)
	if err != nil {
		t.Fatalf("__complete %v: %v", args, err)
	}
	var values []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, ":") || l == "" {
			continue
		}
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values
}

func TestCompletionOfFlagValues(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
current-context: staging
clusters:
- name: eu-1
  cluster: {server: "https://127.0.0.1:1"}
- name: us-1
  cluster: {server: "https://127.0.0.1:2"}
contexts:
- name: staging
  context: {cluster: eu-1, user: ci}
- name: production
  context: {cluster: us-1, user: ci}
users:
- name: ci
  user: {token: x}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "-o", ""}, "text json markdown"},
		{[]string{"render", "-o", ""}, "yaml json"},
		{[]string{"validate", "--output", "g"}, "text json github"},
		{[]string{"apply", "--color", ""}, "auto always never"},
		{[]string{"plan", "--color", ""}, "auto always never"},
		{[]string{"plan", "--diff-style", ""}, "full compact"},
		{[]string{"apply", "--dry-run", ""}, "none server"},
		{[]string{"plan", "--kubeconfig", kubeconfig, "--context", ""}, "production staging"},
		{[]string{"apply", "--kubeconfig", kubeconfig, "--context", "st"}, "staging"},
		{[]string{"plan", "--kubeconfig", kubeconfig, "--cluster", ""}, "eu-1 us-1"},
		{[]string{"plan", "--kubeconfig", kubeconfig, "--user", ""}, "ci"},
		// An unreachable cluster: no namespaces, no error, no hang.
		{[]string{"plan", "--kubeconfig", kubeconfig, "--request-timeout", "1s", "-n", ""}, ""},
	} {
		got := strings.Join(complete(t, tc.args...), " ")
		// cobra filters fixed values by the prefix typed in the shell, not
		// here: compare the whole list.
		if got != tc.want {
			t.Errorf("complete %v: %q, want %q", tc.args, got, tc.want)
		}
	}
}
