package cluster

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"

	"k8s.io/cli-runtime/pkg/genericclioptions"

	"github.com/kubectl-mgi/kubectl-mgi/internal/testenv"
)

// grant gives user a Role in ns with verbs on deployments and configmaps.
func grant(t *testing.T, ns, user string, verbs ...string) {
	t.Helper()
	grantRules(t, ns, user,
		rbacv1.PolicyRule{APIGroups: []string{"apps"}, Resources: []string{"deployments"}, Verbs: verbs},
		rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: verbs})
}

// grantRules gives user a Role in ns holding rules, bound by a RoleBinding.
func grantRules(t *testing.T, ns, user string, rules ...rbacv1.PolicyRule) {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: user, Namespace: ns}, Rules: rules}
	if _, err := cs.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rb := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: user, Namespace: ns},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: user},
		Subjects:   []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: user}},
	}
	if _, err := cs.RbacV1().RoleBindings(ns).Create(ctx, rb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestForbiddenPatchNamesVerbResourceNamespace(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	grant(t, ns, "reader", "get", "list", "watch")
	kc, err := env.AddUser("reader", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, kc)
	objs := deployment(t, ns, "1")

	// Every missing verb is listed (create too: the next new object needs
	// it), and the first refusal is named with its object.
	list := "forbidden: user reader lacks 2 permissions this run needs (checked with SelfSubjectAccessReview):\n  create, patch deployments.apps in namespace " + ns + "\n"
	want := "The server refused 1 request, the first: Deployment/" + ns + "/edge: forbidden: user reader cannot patch deployments.apps in namespace " + ns + "; ask for a Role granting patch"
	_, err = c.Plan(ctx, objs, DefaultPlanOptions())
	if err == nil || !strings.HasPrefix(err.Error(), list) || !strings.Contains(err.Error(), want) {
		t.Errorf("plan: err = %v\nwant it to start with %q and hold %q", err, list, want)
	}
	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err == nil || !strings.HasPrefix(err.Error(), list) || !strings.Contains(err.Error(), want) {
		t.Errorf("apply: err = %v\nwant it to start with %q and hold %q", err, list, want)
	}
	if len(res.Applied) != 0 || len(res.NotApplied) != 1 {
		t.Errorf("applied %v, not applied %d", applied(res), len(res.NotApplied))
	}
}

func TestForbiddenGetIsNotACreate(t *testing.T) {
	ns := namespace(t)
	kc, err := env.AddUser("nobody", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, kc)
	_, err = c.Plan(context.Background(), deployment(t, ns, "1"), DefaultPlanOptions())
	want := "the first: Deployment/" + ns + "/edge: forbidden: user nobody cannot get deployments.apps in namespace " + ns + "; ask for a Role granting get"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "\n  get, create, patch deployments.apps in namespace "+ns+"\n") {
		t.Errorf("err = %v\nwant it to hold %q", err, want)
	}
}

func TestApplyRefusedByTheDryRunChangesNothing(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	// May write configmaps and deployments, but has no right on services.
	grant(t, ns, "deployer", "get", "list", "patch", "create", "update")
	kc, err := env.AddUser("deployer", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, kc)
	var objs []Object
	for _, o := range objects(t, ns, gatewayDocs) {
		if o.GetKind() != "MeshGateway" {
			objs = append(objs, o)
		}
	}
	res, err := c.Apply(ctx, objs, DefaultApplyOptions())
	if err == nil || !strings.Contains(err.Error(), "Service/"+ns+"/edge: forbidden: user deployer cannot get services in namespace "+ns) ||
		!strings.Contains(err.Error(), "\n  get, create, patch services in namespace "+ns+"\n") {
		t.Fatalf("err = %v", err)
	}
	if !errors.As(err, new(*NothingAppliedError)) {
		t.Errorf("err is a %T, want a NothingAppliedError", err)
	}
	equalLists(t, "applied", applied(res), nil)
	if _, err := admin(t).Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(ns).Get(ctx, "settings", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the ConfigMap was written although the Service was refused: %v", err)
	}
	var notApplied []string
	for _, o := range res.NotApplied {
		notApplied = append(notApplied, Ref(o.Unstructured).String())
	}
	equalLists(t, "not applied", notApplied, []string{"ConfigMap/" + ns + "/settings", "Service/" + ns + "/edge", "Deployment/" + ns + "/edge"})

	// Once the user may write Services, a rerun converges.
	grantServices(t, ns, "deployer")
	// The API server's RBAC cache takes a moment to see the new rule.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		res, err = c.Apply(ctx, objs, DefaultApplyOptions())
		if err == nil || !strings.Contains(err.Error(), "forbidden") || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	equalLists(t, "rerun", applied(res), []string{
		"ConfigMap/" + ns + "/settings created",
		"Service/" + ns + "/edge created",
		"Deployment/" + ns + "/edge created",
	})
}

func grantServices(t *testing.T, ns, user string) {
	t.Helper()
	cs, err := kubernetes.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	role, err := cs.RbacV1().Roles(ns).Get(ctx, user, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"services"}, Verbs: []string{"get", "list", "patch", "create"}})
	if _, err := cs.RbacV1().Roles(ns).Update(ctx, role, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestKumaCRDsMissing(t *testing.T) {
	bare, err := testenv.Start(testenv.Options{WithoutCRDs: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := bare.Stop(); err != nil {
			t.Error(err)
		}
	}()
	c := newClient(t, bare.KubeconfigPath)
	ctx := context.Background()

	_, err = c.Plan(ctx, objects(t, "default", gatewayDocs), DefaultPlanOptions())
	want := "MeshGateway/default-gw: the MeshGateway kind (kuma.io/v1alpha1) is not served by this cluster: install Kuma (or its CRDs) first"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	nss, gws, err := c.LiveContext(ctx)
	if err != nil {
		t.Fatalf("LiveContext without the MeshGateway CRD: %v", err)
	}
	if len(gws) != 0 || len(nss) == 0 {
		t.Errorf("LiveContext: %d namespaces, %d gateways", len(nss), len(gws))
	}
}

func TestUnreachableServerFailsFast(t *testing.T) {
	// A port nothing listens on: connection refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "https://" + l.Addr().String()
	l.Close()

	// A server that accepts connections and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()

	for name, host := range map[string]string{"refused": refused, "silent": "https://" + silent.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			kc := writeKubeconfig(t, host, "test")
			start := time.Now()
			_, err := New(context.Background(), flagsFor(kc), Options{ConnectTimeout: time.Second})
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %s to fail", took)
			}
			want := "cannot reach the Kubernetes API server at " + host
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "; check --kubeconfig/--context") {
				t.Errorf("err = %v\nwant %q ... %q", err, want, "; check --kubeconfig/--context")
			}
		})
	}
}

func TestKubeconfigProblemsNameTheFlag(t *testing.T) {
	kc := writeKubeconfig(t, env.Host, "test")
	missingContext := flagsFor(kc)
	other := "elsewhere"
	missingContext.Context = &other
	_, err := New(context.Background(), missingContext, Options{})
	if err == nil || !strings.Contains(err.Error(), `context "elsewhere"`) || !strings.Contains(err.Error(), "check --context") {
		t.Errorf("missing context: %v", err)
	}

	_, err = New(context.Background(), flagsFor(filepath.Join(t.TempDir(), "nope")), Options{})
	if err == nil || !strings.Contains(err.Error(), "check --kubeconfig/--context") {
		t.Errorf("missing kubeconfig file: %v", err)
	}

	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("KUBECONFIG", "")
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	_, err = New(context.Background(), genericclioptions.NewConfigFlags(false), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config") {
		t.Errorf("no kubeconfig at all: %v", err)
	}
}

// writeKubeconfig writes a kubeconfig with one context for host.
func writeKubeconfig(t *testing.T, host, context string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kubeconfig")
	data := `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "` + host + `", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: nothing}}]
contexts: [{name: ` + context + `, context: {cluster: c, user: u}}]
current-context: ` + context + `
`
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
