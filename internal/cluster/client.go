// Package cluster is the live side of kubectl-mgi: it plans and applies
// desired objects against a Kubernetes API server with server-side apply.
// Results are data (plan.Plan, ApplyResult); nothing here prints.
//
// Plan and Apply share one per-object step (step.go): read the live object,
// move client-side apply ownership to the field manager, send the apply
// (dry-run or not) and compare. Apply runs it for real in dependency order;
// Plan runs it as a server dry-run.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/kubectl-mgi/kubectl-mgi/internal/object"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// DefaultFieldManager is the field manager the tool applies as.
const DefaultFieldManager = "kubectl-mgi"

// Options tune the client.
type Options struct {
	// QPS and Burst are the client-side rate limits. client-go's defaults
	// (5/10) would make a few hundred objects take minutes; Concurrency is
	// what bounds the load on a real cluster (32 requests in flight at its
	// latency), the rate limit only keeps a local server from being flooded.
	QPS   float32
	Burst int
	// Concurrency bounds the per-object requests in flight.
	Concurrency int
	// ConnectTimeout bounds the first request, so an unreachable server is
	// reported in seconds instead of after the TCP timeout.
	ConnectTimeout time.Duration
	// Retry bounds the retries of idempotent requests (transport.go).
	Retry RetryPolicy
}

// DefaultOptions are the options New uses for zero fields.
func DefaultOptions() Options {
	return Options{QPS: 500, Burst: 1000, Concurrency: 32, ConnectTimeout: 5 * time.Second, Retry: DefaultRetryPolicy()}
}

// Client talks to one API server.
type Client struct {
	host             string
	user             string
	defaultNamespace string
	dynamic          dynamic.Interface
	// rest is the REST client under dynamic, for requests whose HTTP
	// status matters (ssa.go).
	rest        rest.Interface
	mapper      meta.ResettableRESTMapper
	concurrency int
}

// New builds a client from kubectl's flags and checks that the API server
// answers, so that a wrong kubeconfig fails before any work.
func New(ctx context.Context, getter genericclioptions.RESTClientGetter, opts Options) (*Client, error) {
	opts = withDefaults(opts)
	cfg, err := getter.ToRESTConfig()
	if err != nil {
		return nil, explainConfigError(err)
	}
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = opts.QPS, opts.Burst
	// The request timeout (--request-timeout, cfg.Timeout) is applied per
	// try by the transport, so that a retry gets a fresh deadline.
	timeout := cfg.Timeout
	cfg.Timeout = 0
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return newTransport(rt, timeout, opts.Retry) })
	ns, _, err := getter.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return nil, explainConfigError(err)
	}
	ns = object.NamespaceOr(ns)
	disco, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("discovery client for %s: %w", cfg.Host, err)
	}
	if err := probe(ctx, disco, cfg.Host, opts.ConnectTimeout); err != nil {
		if noKubeconfig(getter) {
			// kubectl's loader falls back to http://localhost:8080
			// when there is no kubeconfig at all.
			return nil, fmt.Errorf("no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config (%w)", err)
		}
		return nil, err
	}
	rc, err := rest.UnversionedRESTClientFor(dynamic.ConfigFor(cfg))
	if err != nil {
		return nil, fmt.Errorf("REST client for %s: %w", cfg.Host, err)
	}
	return &Client{
		host:             cfg.Host,
		user:             userOf(cfg),
		defaultNamespace: ns,
		dynamic:          dynamic.New(rc),
		rest:             rc,
		// Discovery is cached in memory for one run and reset after CRDs
		// are applied, so kinds they define can be mapped.
		mapper:      restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disco)),
		concurrency: opts.Concurrency,
	}, nil
}

func withDefaults(o Options) Options {
	d := DefaultOptions()
	if o.QPS <= 0 {
		o.QPS = d.QPS
	}
	if o.Burst <= 0 {
		o.Burst = d.Burst
	}
	if o.Concurrency <= 0 {
		o.Concurrency = d.Concurrency
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = d.ConnectTimeout
	}
	if o.Retry.Attempts <= 0 {
		o.Retry = d.Retry
	}
	return o
}

// probe asks the server for its version with a short deadline.
func probe(ctx context.Context, disco *discovery.DiscoveryClient, host string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(withoutRetry(ctx), timeout)
	defer cancel()
	err := disco.RESTClient().Get().AbsPath("/version").Do(ctx).Error()
	if err == nil || isAPIStatus(err) && !isUnauthorized(err) {
		// Any HTTP answer but 401 means the server is there; RBAC on
		// the objects themselves is reported per object.
		return nil
	}
	if isUnauthorized(err) {
		return fmt.Errorf("the Kubernetes API server at %s rejected the credentials: %w; check --kubeconfig/--context and log in again", host, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s", timeout)
	}
	return unreachable(host, err)
}

// userOf is the user the config authenticates as, when the config says so
// (a token or certificate does not; the server names the user in its
// Forbidden messages instead).
func userOf(cfg *rest.Config) string {
	if cfg.Impersonate.UserName != "" {
		return cfg.Impersonate.UserName
	}
	return cfg.Username
}

// noKubeconfig reports that no kubeconfig file defines any cluster.
func noKubeconfig(getter genericclioptions.RESTClientGetter) bool {
	raw, err := getter.ToRawKubeConfigLoader().RawConfig()
	return err == nil && len(raw.Clusters) == 0 && len(raw.Contexts) == 0
}

// contextMissing is clientcmd's message for a --context that the kubeconfig
// does not define.
var contextMissing = regexp.MustCompile(`context "[^"]*" does not exist`)

// explainConfigError says which flag fixes a kubeconfig problem.
func explainConfigError(err error) error {
	switch {
	case clientcmd.IsEmptyConfig(err):
		return fmt.Errorf("no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config (%w)", err)
	case clientcmd.IsContextNotFound(err) || contextMissing.MatchString(err.Error()):
		return fmt.Errorf("%w: check --context (`kubectl config get-contexts` lists the contexts)", err)
	default:
		return fmt.Errorf("loading the kubeconfig: %w; check --kubeconfig/--context", err)
	}
}
