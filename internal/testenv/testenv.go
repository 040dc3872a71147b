// Package testenv starts a real kube-apiserver and etcd (controller-runtime
// envtest) built by `make envtest` into <repo>/.cache/envtest/bin, installs the
// project's Kuma CRDs from testdata/crds, and hands out kubeconfig files for an
// admin and for RBAC-limited users. Tests start one Env per package (TestMain)
// and give each test its own namespace.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Options tune Start.
type Options struct {
	// WithoutCRDs starts a server without the Kuma CRDs, like a cluster
	// where Kuma is not installed.
	WithoutCRDs bool
	// Dir is where kubeconfig files are written; a temporary directory
	// (removed by Stop) when empty.
	Dir string
	// APIServerFlags are kube-apiserver flags to set, without the leading
	// dashes (service-node-port-range: 20000-22767).
	APIServerFlags map[string]string
}

// Env is a running test control plane.
type Env struct {
	// Config is the admin's REST config (group system:masters).
	Config *rest.Config
	// KubeconfigPath is a kubeconfig file for the admin.
	KubeconfigPath string
	// Host is the API server's URL.
	Host string

	env    *envtest.Environment
	assets string
	dir    string
	ownDir bool
}

// serviceRange is the servers' service-cluster-ip-range. envtest's default
// is a /24: too small for benchmarks that create hundreds of Services.
const serviceRange = "10.0.0.0/16"

// MissingAssetsMessage is what a test run without the binaries says.
const MissingAssetsMessage = "run `make envtest` first"

// Start starts the control plane. It fails (never skips) when the binaries
// are missing, so a test run without them cannot pass silently.
func Start(opts Options) (*Env, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		assets = filepath.Join(root, ".cache", "envtest", "bin")
	}
	if err := checkAssets(assets); err != nil {
		return nil, err
	}
	te := &envtest.Environment{
		BinaryAssetsDirectory:    assets,
		ControlPlaneStartTimeout: 60 * time.Second,
		ControlPlaneStopTimeout:  30 * time.Second,
	}
	te.ControlPlane.GetAPIServer().Configure().Set("service-cluster-ip-range", serviceRange)
	for k, v := range opts.APIServerFlags {
		te.ControlPlane.GetAPIServer().Configure().Set(k, v)
	}
	if !opts.WithoutCRDs {
		te.CRDDirectoryPaths = []string{filepath.Join(root, "testdata", "crds")}
		te.ErrorIfCRDPathMissing = true
	}
	cfg, err := te.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the test API server from %s: %w", assets, err)
	}
	e := &Env{Config: cfg, Host: cfg.Host, env: te, assets: assets, dir: opts.Dir}
	if e.dir == "" {
		if e.dir, err = os.MkdirTemp("", "kubectl-mgi-testenv-"); err != nil {
			_ = te.Stop()
			return nil, err
		}
		e.ownDir = true
	}
	if e.KubeconfigPath, err = e.writeKubeconfig("admin", te.KubeConfig); err != nil {
		_ = e.Stop()
		return nil, err
	}
	return e, nil
}

// checkAssets says how to get the binaries when they are not there.
func checkAssets(dir string) error {
	var missing []string
	for _, bin := range []string{"kube-apiserver", "etcd"} {
		if _, err := os.Stat(filepath.Join(dir, bin)); err != nil {
			missing = append(missing, bin)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("test control plane binaries %s not found in %s: %s",
			strings.Join(missing, ", "), dir, MissingAssetsMessage)
	}
	return nil
}

// Stop stops the control plane and removes the files Start wrote.
func (e *Env) Stop() error {
	if e == nil {
		return nil
	}
	err := e.env.Stop()
	if e.ownDir {
		err = errors.Join(err, os.RemoveAll(e.dir))
	}
	return err
}

// AddUser creates a user authenticated by a client certificate, with the
// given groups and no other rights, and returns a kubeconfig file for it.
func (e *Env) AddUser(name string, groups []string) (string, error) {
	u, err := e.env.AddUser(envtest.User{Name: name, Groups: groups}, e.Config)
	if err != nil {
		return "", fmt.Errorf("adding user %s: %w", name, err)
	}
	kc, err := u.KubeConfig()
	if err != nil {
		return "", fmt.Errorf("kubeconfig for user %s: %w", name, err)
	}
	return e.writeKubeconfig(name, kc)
}

// Namespace creates a namespace named after prefix (the API server adds a
// random suffix) and returns its name.
func (e *Env) Namespace(ctx context.Context, prefix string) (string, error) {
	cs, err := kubernetes.NewForConfig(e.Config)
	if err != nil {
		return "", err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: sanitize(prefix) + "-"}}
	got, err := cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("creating a test namespace: %w", err)
	}
	return got.Name, nil
}

func (e *Env) writeKubeconfig(name string, data []byte) (string, error) {
	p := filepath.Join(e.dir, name+".kubeconfig")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return "", fmt.Errorf("writing kubeconfig: %w", err)
	}
	return p, nil
}

// sanitize turns a test name into a valid namespace prefix.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 40 {
		out = strings.Trim(out[:40], "-")
	}
	if out == "" {
		out = "test"
	}
	return out
}

// RepoRoot is the directory holding go.mod, found by walking up from the
// working directory (go test runs in the package directory).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory: run from inside the repository")
		}
		dir = parent
	}
}
