package testenv

import (
	"context"
	"os"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func TestStartInstallsCRDsAndAddsUsers(t *testing.T) {
	env, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := env.Stop(); err != nil {
			t.Error(err)
		}
	}()
	ctx := context.Background()

	admin := clientsetFrom(t, env.KubeconfigPath)
	res, err := admin.Discovery().ServerResourcesForGroupVersion("kuma.io/v1alpha1")
	if err != nil {
		t.Fatalf("kuma.io/v1alpha1 not served: %v", err)
	}
	kinds := map[string]bool{}
	for _, r := range res.APIResources {
		kinds[r.Kind] = r.Namespaced
	}
	if ns, ok := kinds["MeshGateway"]; !ok || ns {
		t.Errorf("MeshGateway: served=%v namespaced=%v, want cluster-scoped", ok, ns)
	}
	if ns, ok := kinds["MeshGatewayInstance"]; !ok || !ns {
		t.Errorf("MeshGatewayInstance: served=%v namespaced=%v, want namespaced", ok, ns)
	}

	name, err := env.Namespace(ctx, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "teststartinstallscrdsandaddsusers-") {
		t.Errorf("namespace %q does not carry the test's name", name)
	}

	kc, err := env.AddUser("alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	alice := clientsetFrom(t, kc)
	_, err = alice.CoreV1().ConfigMaps(name).List(ctx, metav1.ListOptions{})
	if err == nil || !strings.Contains(err.Error(), `User "alice" cannot list`) {
		t.Errorf("alice without a Role listed configmaps: err=%v", err)
	}
}

func TestStartWithoutBinariesSaysWhatToDo(t *testing.T) {
	t.Setenv("KUBEBUILDER_ASSETS", t.TempDir())
	_, err := Start(Options{})
	if err == nil || !strings.Contains(err.Error(), MissingAssetsMessage) {
		t.Fatalf("err = %v, want it to say %q", err, MissingAssetsMessage)
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"TestPlan/Create_update": "testplan-create-update",
		"":                       "test",
		"///":                    "test",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := sanitize(strings.Repeat("a", 80)); len(got) != 40 {
		t.Errorf("long names are not cut: %d chars", len(got))
	}
}

func clientsetFrom(t *testing.T, kubeconfig string) *kubernetes.Clientset {
	t.Helper()
	if _, err := os.Stat(kubeconfig); err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
