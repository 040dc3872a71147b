package testenv

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"k8s.io/client-go/rest"
)

// FaultProxy is a reverse proxy on loopback in front of a test API server
// that injects faults into the requests its rules match. Clients reach it
// over plain HTTP (Kubeconfig); it talks to the server with the credentials
// of the config it was given. A server it cannot reach (stopped) looks to
// the client as a dropped connection, as the server itself would.
type FaultProxy struct {
	t       testing.TB
	srv     *httptest.Server
	backend *url.URL
	rt      http.RoundTripper
	proxy   *httputil.ReverseProxy

	mu    sync.Mutex
	rules []*Fault
	// hits counts the faults injected, by kind.
	hits map[string]int
	// stop ends the stalls, so that the server can close.
	stop chan struct{}
}

// Fault kinds.
const (
	Fault503   = "503"   // 503 Service Unavailable
	Fault429   = "429"   // 429 with RetryAfter
	FaultReset = "reset" // the connection reset, no answer
	// FaultLost forwards the request (the server acts on it), runs Do,
	// and resets the connection: the answer never arrives.
	FaultLost = "lost"
	// FaultStall holds the request until the client gives up.
	FaultStall = "stall"
	// FaultCall runs Do (say, stopping the server), then forwards the
	// request as usual.
	FaultCall = "call"
)

// Fault is one kind of fault for the requests matching Method, a Path
// substring and (when set) dry-run or not, injected Times times (-1:
// always).
type Fault struct {
	Kind       string
	Method     string
	Path       string
	DryRun     *bool
	Times      int
	RetryAfter string
	// Do runs for FaultCall and FaultLost (see there).
	Do func()
}

// DryRuns and Writes restrict a Fault to dry-run requests or to the others.
func DryRuns() *bool { b := true; return &b }
func Writes() *bool  { b := false; return &b }

// NewFaultProxy starts a proxy in front of the server cfg points at; it
// stops when the test ends.
func NewFaultProxy(t testing.TB, cfg *rest.Config) *FaultProxy {
	t.Helper()
	backend, err := url.Parse(cfg.Host)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := rest.TransportFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &FaultProxy{t: t, backend: backend, rt: rt, hits: map[string]int{}, stop: make(chan struct{})}
	p.proxy = &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(backend) },
		Transport: rt,
		// Not a 502: a client of a stopped server sees its connection
		// drop or be refused, never an HTTP answer.
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) { p.hangUp(w) },
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	t.Cleanup(func() { close(p.stop) })
	return p
}

// Add adds a rule; the first matching rule with tries left applies.
func (p *FaultProxy) Add(f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &f)
}

// Clear removes every rule: requests pass untouched.
func (p *FaultProxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
}

// Count is how many faults of kind were injected.
func (p *FaultProxy) Count(kind string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[kind]
}

func (p *FaultProxy) match(r *http.Request) *Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	dry := r.URL.Query().Get("dryRun") == "All"
	for _, f := range p.rules {
		if f.Times == 0 || f.Method != "" && f.Method != r.Method || !strings.Contains(r.URL.Path, f.Path) || f.DryRun != nil && *f.DryRun != dry {
			continue
		}
		if f.Times > 0 {
			f.Times--
		}
		p.hits[f.Kind]++
		return f
	}
	return nil
}

func (p *FaultProxy) serve(w http.ResponseWriter, r *http.Request) {
	f := p.match(r)
	if f == nil {
		p.proxy.ServeHTTP(w, r)
		return
	}
	switch f.Kind {
	case Fault503:
		w.WriteHeader(http.StatusServiceUnavailable)
	case Fault429:
		w.Header().Set("Retry-After", f.RetryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}`)
	case FaultReset:
		p.hangUp(w)
	case FaultLost:
		// The server acts on the request; its answer never arrives.
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.URL.Scheme, out.URL.Host, out.Host = p.backend.Scheme, p.backend.Host, p.backend.Host
		if resp, err := p.rt.RoundTrip(out); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if f.Do != nil {
			f.Do()
		}
		p.hangUp(w)
	case FaultStall:
		select {
		case <-r.Context().Done():
		case <-p.stop:
		}
	case FaultCall:
		if f.Do != nil {
			f.Do()
		}
		p.proxy.ServeHTTP(w, r)
	default:
		p.t.Errorf("unknown fault kind %q", f.Kind)
	}
}

// hangUp resets the client's connection without an answer.
func (p *FaultProxy) hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		p.t.Errorf("hijack: %v", err)
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	conn.Close()
}

// Kubeconfig writes a kubeconfig file pointing at the proxy.
func (p *FaultProxy) Kubeconfig(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "proxy.kubeconfig")
	data := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: proxy, cluster: {server: %q}}]
users: [{name: proxy, user: {}}]
contexts: [{name: proxy, context: {cluster: proxy, user: proxy}}]
current-context: proxy
`, p.srv.URL)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
