package main

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"k8s.io/client-go/tools/clientcmd"
)

// latencyProxy forwards TCP connections to an address, holding every chunk
// read from either side for delay before writing it on: a round trip takes
// twice delay longer, as across a network, while chunks in flight overlap
// (a delay line, not a bandwidth limit). TLS passes through untouched.
type latencyProxy struct {
	ln     net.Listener
	target string
	delay  time.Duration
	wg     sync.WaitGroup
}

func startLatencyProxy(target string, delay time.Duration) (*latencyProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &latencyProxy{ln: ln, target: target, delay: delay}
	go p.accept()
	return p, nil
}

func (p *latencyProxy) addr() string { return p.ln.Addr().String() }

func (p *latencyProxy) close() {
	_ = p.ln.Close()
	p.wg.Wait()
}

func (p *latencyProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(c)
		}()
	}
}

func (p *latencyProxy) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client); done <- struct{}{} }()
	go func() { p.pipe(client, server); done <- struct{}{} }()
	<-done
}

// chunk is what one read returned and when it is due on the other side.
type chunk struct {
	data []byte
	due  time.Time
}

// pipe copies from src to dst, each chunk delay after it was read.
func (p *latencyProxy) pipe(dst, src net.Conn) {
	ch := make(chan chunk, 1024)
	go func() {
		defer close(ch)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				ch <- chunk{data: buf[:n], due: time.Now().Add(p.delay)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range ch {
		time.Sleep(time.Until(c.due))
		if _, err := dst.Write(c.data); err != nil {
			break
		}
	}
	// Pass the end on (a half close where the connection allows it).
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	} else {
		_ = dst.Close()
	}
	_, _ = io.Copy(io.Discard, src)
}

// proxiedKubeconfig writes a copy of the kubeconfig at path whose clusters
// point at addr instead; the server's certificate is for 127.0.0.1, which
// addr is too.
func proxiedKubeconfig(path, addr, dir string) (string, error) {
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		return "", err
	}
	for _, c := range cfg.Clusters {
		u, err := url.Parse(c.Server)
		if err != nil {
			return "", err
		}
		u.Host = addr
		c.Server = u.String()
	}
	out := filepath.Join(dir, "latency.kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, out); err != nil {
		return "", fmt.Errorf("writing %s: %w", out, err)
	}
	return out, os.Chmod(out, 0o600)
}
