package cluster

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// flaky answers the first fails requests with fail, then 200 "ok".
func flaky(t *testing.T, fails int, fail func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		if int(n.Add(1)) <= fails {
			fail(w)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func testTransport(timeout time.Duration) *transport {
	tr := newTransport(http.DefaultTransport.(*http.Transport).Clone(), timeout, RetryPolicy{Attempts: 4, Elapsed: 5 * time.Second, Base: time.Millisecond, Max: 5 * time.Millisecond})
	tr.sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	return tr
}

func send(t *testing.T, tr http.RoundTripper, method, url, contentType string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return tr.RoundTrip(req)
}

func TestTransportRetriesIdempotentRequests(t *testing.T) {
	cases := []struct {
		name, method, query, contentType string
		fail                             func(w http.ResponseWriter)
		wantTries                        int32
		wantStatus                       int
	}{
		{"GET after 503", "GET", "", "", func(w http.ResponseWriter) { w.WriteHeader(503) }, 3, 200},
		{"SSA patch after 500", "PATCH", "", "application/apply-patch+yaml", func(w http.ResponseWriter) { w.WriteHeader(500) }, 3, 200},
		{"dry-run POST after 429", "POST", "?dryRun=All", "application/json", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
		}, 3, 200},
		{"POST is not retried", "POST", "", "application/json", func(w http.ResponseWriter) { w.WriteHeader(503) }, 1, 503},
		{"JSON patch is not retried", "PATCH", "", "application/json-patch+json", func(w http.ResponseWriter) { w.WriteHeader(503) }, 1, 503},
		{"501 is not retried", "GET", "", "", func(w http.ResponseWriter) { w.WriteHeader(501) }, 1, 501},
		{"404 is not retried", "GET", "", "", func(w http.ResponseWriter) { w.WriteHeader(404) }, 1, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := flaky(t, 2, tc.fail)
			resp, err := send(t, testTransport(0), tc.method, srv.URL+tc.query, tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus || n.Load() != tc.wantTries {
				t.Errorf("status %d after %d tries, want %d after %d", resp.StatusCode, n.Load(), tc.wantStatus, tc.wantTries)
			}
		})
	}
}

func TestTransportGivesUpAfterTheBound(t *testing.T) {
	srv, n := flaky(t, 100, func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(429)
	})
	resp, err := send(t, testTransport(0), "GET", srv.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || n.Load() != 4 {
		t.Errorf("status %d after %d tries, want 429 after 4", resp.StatusCode, n.Load())
	}
	if resp.Header.Get("Retry-After") != "" {
		t.Error("the last answer still has Retry-After: client-go would retry it again")
	}
}

func TestTransportRetriesAResetConnection(t *testing.T) {
	srv, n := flaky(t, 1, func(w http.ResponseWriter) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	})
	ctx, tr := withTries(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "PATCH", srv.URL, strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/apply-patch+yaml")
	resp, err := testTransport(0).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" || n.Load() != 2 {
		t.Errorf("body %q after %d tries", body, n.Load())
	}
	if tr.lost.Load() != 1 {
		t.Errorf("lost answers = %d, want 1 (the server may have applied the first try)", tr.lost.Load())
	}
}

func TestTransportNamesTheRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	tr := testTransport(50 * time.Millisecond)
	tr.policy.Attempts = 2
	_, err := send(t, tr, "POST", srv.URL, "application/json")
	var rt *RequestTimeoutError
	if !errors.As(err, &rt) || rt.After != 50*time.Millisecond {
		t.Fatalf("got %v, want a RequestTimeoutError after 50ms", err)
	}
	if !strings.Contains(err.Error(), "within 50ms (--request-timeout") {
		t.Errorf("message %q does not name the duration and the flag", err)
	}
}

func TestTransportStopsRetryingWhenInterrupted(t *testing.T) {
	srv, n := flaky(t, 100, func(w http.ResponseWriter) { w.WriteHeader(503) })
	tr := testTransport(0)
	ctx, cancel := context.WithCancel(context.Background())
	tr.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if n.Load() != 1 {
		t.Errorf("%d tries after the interruption, want 1", n.Load())
	}
}

// client-go retries a GET whose connection was reset up to ten times more,
// a second apart; on top of the transport's own tries, a server that keeps
// resetting took 14 s to report instead of under one. The tries here are
// the only ones.
func TestClientGoDoesNotRetryOnTopOfTheTransport(t *testing.T) {
	srv, n := flaky(t, 1000, func(w http.ResponseWriter) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	})
	cfg := &rest.Config{Host: srv.URL}
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		tr := testTransport(0)
		tr.next = rt
		return tr
	})
	d, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = d.Resource(configmaps).Namespace("x").Get(context.Background(), "y", metav1.GetOptions{})
	if err == nil || !errors.Is(err, syscall.ECONNRESET) || !strings.Contains(err.Error(), "the connection was reset (4 tries)") {
		t.Fatalf("err = %v, want a reset after 4 tries", err)
	}
	if n.Load() != 4 || time.Since(start) > 900*time.Millisecond {
		t.Errorf("%d tries in %s, want the transport's 4 and no more", n.Load(), time.Since(start))
	}
}
