package citest

import (
	"strings"
	"testing"
)

// -n completes the cluster's namespaces, as kubectl's does.
func TestNamespaceCompletionAsksTheCluster(t *testing.T) {
	out, stderr, code := mgi(t, "__complete", "plan", "--kubeconfig", env.KubeconfigPath, "-n", "kube-")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	mustContain(t, "completion", out, "kube-system\n", "kube-public\n")
	mustNotContain(t, "completion", out, "\ndefault\n")
	if !strings.HasSuffix(strings.TrimSpace(out), ":4") { // ShellCompDirectiveNoFileComp
		t.Errorf("directive: %q", out)
	}
}
