package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func TestSelectorFlagIsKubectls(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	for _, cmd := range []string{"plan", "apply"} {
		c := NewPlanCmd(streams)
		if cmd == "apply" {
			c = NewApplyCmd(streams)
		}
		if err := c.ParseFlags([]string{"-l", "tier=web"}); err != nil {
			t.Fatal(err)
		}
		if got := c.Flags().Lookup("selector").Value.String(); got != "tier=web" {
			t.Errorf("%s -l: %q", cmd, got)
		}
	}
	if _, err := parseSelector("tier in (web"); err == nil || !strings.HasPrefix(err.Error(), `--selector "tier in (web": `) {
		t.Errorf("bad selector: %v", err)
	}
}

// -l keeps only the objects whose labels match, as kubectl does, and is
// refused with an ApplySet before any request.
func TestSelectorFiltersThePlanAndRefusesAnApplySet(t *testing.T) {
	env, err := testenv.Start(testenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	ctx := context.Background()
	ns, err := env.Namespace(ctx, "selector")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	body := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: " + ns + ", labels: {tier: web}}\ndata: {a: b}\n" +
		"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: db, namespace: " + ns + ", labels: {tier: db}}\ndata: {a: b}\n"
	if err := os.WriteFile(filepath.Join(dir, "cms.yaml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := func(sel string) ClusterFlags {
		f := newClusterFlags()
		*f.Kube.KubeConfig = env.KubeconfigPath
		f.Selector = sel
		return f
	}
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	if err := runPlan(ctx, &PlanOptions{IO: streams, Cluster: flags("tier=web"), Paths: []string{dir}, Output: "text"}); err != nil {
		t.Fatalf("plan: %v\n%s", err, errOut)
	}
	if !strings.Contains(out.String(), "ConfigMap/"+ns+"/web") || strings.Contains(out.String(), "ConfigMap/"+ns+"/db") {
		t.Errorf("plan -l tier=web:\n%s", out)
	}
	streams, _, out, _ = genericiooptions.NewTestIOStreams()
	err = runApply(ctx, &ApplyOptions{IO: streams, Cluster: flags("tier=web"), Paths: []string{dir}, ApplySet: "gateways", Prune: true, DryRun: "none"})
	if !errors.Is(err, errSelectorWithApplySet) || out.Len() != 0 {
		t.Errorf("apply --prune -l: %v, stdout %q", err, out)
	}
}
