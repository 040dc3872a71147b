package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Replica is a second kube-apiserver on the Env's etcd, as in a cluster
// with more than one. A test stops and starts it to play a server going
// away mid-apply and coming back on the same data, while the Env's own
// server (shared by the package's other tests) keeps running.
type Replica struct {
	// Config is an admin's REST config for the replica. It stays valid
	// across Stop and Start: the port and certificates are kept.
	Config *rest.Config
	srv    *envtest.APIServer
}

// StartReplica starts a replica; the caller stops it.
func (e *Env) StartReplica() (*Replica, error) {
	dir, err := os.MkdirTemp(e.dir, "replica-")
	if err != nil {
		return nil, err
	}
	srv := &envtest.APIServer{
		Path:         filepath.Join(e.assets, "kube-apiserver"),
		EtcdURL:      e.env.ControlPlane.Etcd.URL,
		CertDir:      dir, // kept on Stop, so Start serves the same certificates
		StartTimeout: 60 * time.Second,
		StopTimeout:  30 * time.Second,
	}
	srv.Configure().Set("service-cluster-ip-range", serviceRange)
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("starting a second API server on the test etcd: %w", err)
	}
	cp := &envtest.ControlPlane{APIServer: srv}
	u, err := cp.AddUser(envtest.User{Name: "replica-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		_ = srv.Stop()
		return nil, err
	}
	return &Replica{Config: u.Config(), srv: srv}, nil
}

// Stop stops the replica (SIGTERM, as a node shutting down does), waiting
// until it has exited. Stopping a stopped replica does nothing.
func (r *Replica) Stop() error { return r.srv.Stop() }

// Start starts the replica again on the same port, certificates and etcd
// data, and waits until it is ready.
func (r *Replica) Start() error { return r.srv.Start() }
