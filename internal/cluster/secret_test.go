package cluster

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubectl-mgi/kubectl-mgi/internal/plan"
)

// kubectlCmd runs the real kubectl against the test server.
func kubectlCmd(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("kubectl", append([]string{"--kubeconfig", env.KubeconfigPath}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// secretToken is the live Secret's data.token, decoded.
func secretToken(t *testing.T, ns, name string) string {
	t.Helper()
	u, err := admin(t).Resource(secrets).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, _, _ := unstructured.NestedString(u.Object, "data", "token")
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const tokenSecret = "{apiVersion: v1, kind: Secret, metadata: {name: token, namespace: NS}, stringData: {token: VALUE}}"

func tokenSecretDoc(value string) string { return strings.Replace(tokenSecret, "VALUE", value, 1) }

// A key another manager owns is a conflict whether that manager wrote it
// under stringData (server-side apply) or under data (kubectl create
// secret), and the directory under stringData: the API server stores only
// data, so either way the value would be overwritten.
func TestSecretKeyOwnedByAnotherManagerIsAConflict(t *testing.T) {
	cases := []struct {
		name, wantField, wantManager string
		write                        func(t *testing.T, ns string)
	}{
		{"applied as stringData", ".stringData.token", "vault-sync", func(t *testing.T, ns string) {
			applyAs(t, "vault-sync", secrets, objects(t, ns, tokenSecretDoc("theirs"))[0])
		}},
		{"created as data", ".data.token", "kubectl-create", func(t *testing.T, ns string) {
			kubectlCmd(t, "-n", ns, "create", "secret", "generic", "token", "--from-literal=token=theirs")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			ns := namespace(t)
			tc.write(t, ns)
			c := newClient(t, env.KubeconfigPath)
			objs := objects(t, ns, tokenSecretDoc("mine"))

			p, err := c.Plan(ctx, objs, DefaultPlanOptions())
			if err != nil {
				t.Fatal(err)
			}
			ch := p.Changes[0]
			want := plan.FieldConflict{Field: tc.wantField, Manager: tc.wantManager}
			if ch.Action != plan.Conflict || len(ch.Conflicts) != 1 || ch.Conflicts[0] != want {
				t.Fatalf("plan: %s %+v, want a conflict on %+v", ch.Action, ch.Conflicts, want)
			}
			// The diff previews --force-conflicts, masked.
			if !strings.Contains(ch.Diff, "-  token: '*** (before)'") || !strings.Contains(ch.Diff, "+  token: '*** (after)'") {
				t.Errorf("conflict diff:\n%s", ch.Diff)
			}
			for _, s := range []string{ch.Diff, ch.Before, ch.After} {
				if strings.Contains(s, "theirs") || strings.Contains(s, "mine") || strings.Contains(s, "dGhlaXJz") || strings.Contains(s, "bWluZQ") {
					t.Errorf("a secret value is shown:\n%s", s)
				}
			}

			res, err := c.Apply(ctx, objs, DefaultApplyOptions())
			var ce *ConflictError
			var na *NothingAppliedError
			if !errors.As(err, &ce) || !errors.As(err, &na) || len(ce.Conflicts) != 1 || ce.Conflicts[0] != want {
				t.Fatalf("apply: err = %v, want a conflict on %+v and nothing applied", err, want)
			}
			if len(res.Applied) != 0 {
				t.Errorf("applied %v", applied(res))
			}
			if got := secretToken(t, ns, "token"); got != "theirs" {
				t.Fatalf("the refused apply wrote the key: %q", got)
			}

			forced := DefaultApplyOptions()
			forced.Force = true
			if _, err := c.Apply(ctx, objs, forced); err != nil {
				t.Fatalf("apply --force-conflicts: %v", err)
			}
			if got := secretToken(t, ns, "token"); got != "mine" {
				t.Errorf("after --force-conflicts the key is %q", got)
			}
			// Converged: the tool owns the key now.
			if p, err = c.Plan(ctx, objs, DefaultPlanOptions()); err != nil || p.HasChanges() {
				t.Errorf("plan after the forced apply: %v %v", actions(p), err)
			}
		})
	}
}

// Holding the same value is no conflict, as for any other field.
func TestSecretKeyWithTheSameValueIsNoConflict(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	applyAs(t, "vault-sync", secrets, objects(t, ns, tokenSecretDoc("shared"))[0])
	c := newClient(t, env.KubeconfigPath)
	objs := objects(t, ns, tokenSecretDoc("shared"))
	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(p); len(got) != 1 || p.Changes[0].Action != plan.Unchanged {
		t.Fatalf("plan: %v %+v", got, p.Changes[0].Conflicts)
	}
	if _, err := c.Apply(ctx, objs, DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
}

// A Secret last applied by client-side `kubectl apply` with stringData:
// the plan shows the key updated (masked), not deleted, and apply does
// exactly what the plan showed.
func TestClientSideAppliedSecretPlansTheKeyAsUpdated(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	file := filepath.Join(t.TempDir(), "secret.yaml")
	old := "apiVersion: v1\nkind: Secret\nmetadata: {name: token, namespace: " + ns + "}\nstringData: {token: old-value, dropped: gone}\n"
	if err := os.WriteFile(file, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	kubectlCmd(t, "apply", "-f", file) // client-side: the last-applied annotation
	c := newClient(t, env.KubeconfigPath)
	// The directory keeps token (new value) and no longer sets dropped.
	objs := objects(t, ns, tokenSecretDoc("new-value"))

	p, err := c.Plan(ctx, objs, DefaultPlanOptions())
	if err != nil {
		t.Fatal(err)
	}
	ch := p.Changes[0]
	if ch.Action != plan.Update {
		t.Fatalf("plan: %s %+v, want update", ch.Action, ch.Conflicts)
	}
	for _, want := range []string{"-  token: '*** (before)'", "+  token: '*** (after)'", "-  dropped: '***'"} {
		if !strings.Contains(ch.Diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, ch.Diff)
		}
	}
	if strings.Contains(ch.Diff, "-data:") {
		t.Errorf("the plan deletes data:\n%s", ch.Diff)
	}
	for _, s := range []string{ch.Diff, ch.Before, ch.After} {
		for _, v := range []string{"old-value", "new-value", "b2xkLXZhbHVl", "bmV3LXZhbHVl", "Z29uZQ", "last-applied"} {
			if strings.Contains(s, v) {
				t.Errorf("%q is shown:\n%s", v, s)
			}
		}
	}
	shown := DefaultPlanOptions()
	shown.ShowSecrets = true
	sp, err := c.Plan(ctx, objs, shown)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := c.Apply(ctx, objs, DefaultApplyOptions()); err != nil {
		t.Fatal(err)
	}
	if got := secretToken(t, ns, "token"); got != "new-value" {
		t.Errorf("applied token = %q", got)
	}
	live, err := admin(t).Resource(secrets).Namespace(ns).Get(ctx, "token", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := normalizedYAML(t, live); got != sp.Changes[0].After {
		t.Errorf("apply did not do what the plan showed:\nplan:\n%s\nlive:\n%s", sp.Changes[0].After, got)
	}
	if p, err = c.Plan(ctx, objs, DefaultPlanOptions()); err != nil || p.HasChanges() {
		t.Errorf("plan after apply: %v %v", actions(p), err)
	}
}
