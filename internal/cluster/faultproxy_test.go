package cluster

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

// faultProxy is a reverse proxy on loopback in front of the test API server
// that injects faults into the requests its rules match. Clients reach it
// over plain HTTP; it talks to the server with the admin's credentials.
type faultProxy struct {
	t       *testing.T
	srv     *httptest.Server
	backend *url.URL
	rt      http.RoundTripper
	proxy   *httputil.ReverseProxy

	mu    sync.Mutex
	rules []*fault
	// hits counts the faults injected, by kind.
	hits map[string]int
	// stop ends the stalls, so that the server can close.
	stop chan struct{}
}

// fault is one kind of fault for the requests matching method, a path
// substring and (when set) dry-run or not, injected times times (-1: always).
type fault struct {
	kind       string // "503", "429", "reset", "lost", "stall"
	method     string
	path       string
	dryRun     *bool
	times      int
	retryAfter string
}

func newFaultProxy(t *testing.T) *faultProxy {
	t.Helper()
	backend, err := url.Parse(env.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := rest.TransportFor(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, backend: backend, rt: rt, hits: map[string]int{}, stop: make(chan struct{})}
	p.proxy = &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(backend) },
		Transport: rt,
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	t.Cleanup(func() { close(p.stop) })
	return p
}

func (p *faultProxy) add(f fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &f)
}

func (p *faultProxy) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
}

func (p *faultProxy) count(kind string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits[kind]
}

func (p *faultProxy) match(r *http.Request) *fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	dry := r.URL.Query().Get("dryRun") == "All"
	for _, f := range p.rules {
		if f.times == 0 || f.method != "" && f.method != r.Method || !strings.Contains(r.URL.Path, f.path) || f.dryRun != nil && *f.dryRun != dry {
			continue
		}
		if f.times > 0 {
			f.times--
		}
		p.hits[f.kind]++
		return f
	}
	return nil
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	f := p.match(r)
	if f == nil {
		p.proxy.ServeHTTP(w, r)
		return
	}
	switch f.kind {
	case "503":
		w.WriteHeader(http.StatusServiceUnavailable)
	case "429":
		w.Header().Set("Retry-After", f.retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}`)
	case "reset":
		p.hangUp(w, true)
	case "lost":
		// The server acts on the request; its answer never arrives.
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.URL.Scheme, out.URL.Host, out.Host = p.backend.Scheme, p.backend.Host, p.backend.Host
		if resp, err := p.rt.RoundTrip(out); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		p.hangUp(w, true)
	case "stall":
		select {
		case <-r.Context().Done():
		case <-p.stop:
		}
	}
}

// hangUp closes the client's connection without an answer (reset: RST).
func (p *faultProxy) hangUp(w http.ResponseWriter, reset bool) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		p.t.Errorf("hijack: %v", err)
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	conn.Close()
}

// kubeconfig is a kubeconfig file pointing at the proxy.
func (p *faultProxy) kubeconfig(t *testing.T) string {
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

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }
