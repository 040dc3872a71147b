package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/cluster"
	"github.com/kubectl-mgi/kubectl-mgi/internal/object"
	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

func TestApplyFlags(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	cmd := NewApplyCmd(streams)
	if def := cmd.Flags().Lookup("timeout").DefValue; def != "5m0s" {
		t.Errorf("--timeout defaults to %s, want 5m0s", def)
	}
	args := []string{"--applyset", "configmaps/gw", "--prune", "--wait", "--timeout", "90s", "--dry-run", "server"}
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{"applyset": "configmaps/gw", "prune": "true", "wait": "true", "timeout": (90 * time.Second).String(), "dry-run": "server"} {
		if got := cmd.Flags().Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}
	if NewPlanCmd(streams).Flags().Lookup("applyset") == nil {
		t.Error("plan has no --applyset")
	}
}

// --prune alone is refused before any request to the cluster, when the
// directory's settings name no ApplySet either.
func TestApplyPruneNeedsApplySet(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	o := &ApplyOptions{IO: streams, Cluster: newClusterFlags(), DryRun: "none", Prune: true, Paths: []string{t.TempDir()}}
	err := runApply(context.Background(), o)
	if err == nil || !strings.HasPrefix(err.Error(), "--prune needs --applyset NAME") {
		t.Errorf("err = %v", err)
	}
}

// --color takes the same values as on plan, refused before any input is
// read, and colors the action of each line.
func TestApplyColor(t *testing.T) {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	o := &ApplyOptions{IO: streams, Cluster: newClusterFlags(), DryRun: "none", Paths: []string{"does-not-exist"}}
	o.Cluster.Color = "bogus"
	if err := runApply(context.Background(), o); err == nil || err.Error() != `--color "bogus" is not supported; use auto, always or never` {
		t.Errorf("err = %v", err)
	}
	res := &cluster.ApplyResult{
		Applied: []cluster.Applied{{Object: object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: "shop", Name: "a"}, Action: plan.Create}},
		Pruned:  []cluster.Applied{{Object: object.Ref{Version: "v1", Kind: "ConfigMap", Namespace: "shop", Name: "b"}, Action: plan.Delete}},
	}
	var b bytes.Buffer
	printApplied(&b, res, true)
	if want := "ConfigMap/shop/a \x1b[32mcreated\x1b[0m\nConfigMap/shop/b \x1b[31mpruned\x1b[0m\n"; b.String() != want {
		t.Errorf("colored lines %q, want %q", b.String(), want)
	}
}

func TestPrintAppliedListsPrunedLast(t *testing.T) {
	ref := func(kind, name string) object.Ref {
		return object.Ref{Group: "apps", Version: "v1", Kind: kind, Namespace: "shop", Name: name}
	}
	res := &cluster.ApplyResult{
		DryRun:  true,
		Applied: []cluster.Applied{{Object: ref("Deployment", "edge"), Action: plan.Update}},
		Pruned:  []cluster.Applied{{Object: ref("Deployment", "old"), Action: plan.Delete}},
	}
	var b bytes.Buffer
	printApplied(&b, res, false)
	want := "Deployment/shop/edge configured (server dry run)\nDeployment/shop/old pruned (server dry run)\n"
	if b.String() != want {
		t.Errorf("got:\n%swant:\n%s", b.String(), want)
	}
}

// A failed apply's error says what was applied and still wraps its cause,
// so callers (and errors.As for conflicts or API statuses) can reach it.
func TestApplyFailureWrapsItsCause(t *testing.T) {
	cause := apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "edge", errors.New("no patch"))
	notApplied := &unstructured.Unstructured{}
	notApplied.SetAPIVersion("v1")
	notApplied.SetKind("Service")
	notApplied.SetNamespace("shop")
	notApplied.SetName("edge")
	res := &cluster.ApplyResult{
		Applied:    []cluster.Applied{{Object: object.Ref{Version: "v1", Kind: "Namespace", Name: "shop"}, Action: plan.Create}},
		NotApplied: []cluster.Object{{Unstructured: notApplied}},
	}
	err := applyFailure(res, fmt.Errorf("Service/shop/edge: %w", cause))
	if !apierrors.IsForbidden(err) {
		t.Errorf("the cause is lost: %#v", err)
	}
	want := "Service/shop/edge: " + cause.Error() + "\n1 object was applied (listed above); 1 was not applied:\n  Service/shop/edge\n" +
		"Fix the cause and run apply again: objects already applied are left as they are."
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant:\n%s", err, want)
	}
}

// An object whose write was sent and never answered is neither applied nor
// not applied: the message says so apart.
func TestApplyFailureListsWhatIsUnknown(t *testing.T) {
	obj := func(kind string) cluster.Object {
		u := &unstructured.Unstructured{}
		u.SetAPIVersion("v1")
		u.SetKind(kind)
		u.SetNamespace("shop")
		u.SetName("edge")
		return cluster.Object{Unstructured: u}
	}
	res := &cluster.ApplyResult{
		Applied:    []cluster.Applied{{Object: object.Ref{Version: "v1", Kind: "Namespace", Name: "shop"}, Action: plan.Create}},
		NotApplied: []cluster.Object{obj("ConfigMap")},
		Unknown:    []cluster.Object{obj("Service")},
	}
	err := applyFailure(res, cluster.ErrInterrupted)
	want := cluster.ErrInterrupted.Error() + "\n1 object was applied (listed above); 1 was not applied:\n  ConfigMap/shop/edge\n" +
		"1 may or may not have been applied (sent, but no answer came):\n  Service/shop/edge\n" +
		"Fix the cause and run apply again: objects already applied are left as they are."
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant:\n%s", err, want)
	}
}
