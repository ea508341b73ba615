// Package etcdprobe implements probe.Prober with etcd clients. None of its
// probes writes: they only read, so only clientpercall's own facts say
// that they dial.
package etcdprobe

import (
	"context"
	"sync"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Reader dials a client for every probe, reads a key and closes it.
type Reader struct {
	Endpoints []string
	Key       string
}

// Probe dials, reads and closes.
func (r *Reader) Probe(ctx context.Context) error { // want Probe:`dials\(releases params=-1\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: r.Endpoints, DialTimeout: 2 * time.Second})
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.Get(ctx, r.Key)
	return err
}

// Status dials a client for every probe and asks the member for its
// status, never closing it.
type Status struct{ Endpoint string }

// Probe dials and reads, leaking the client.
func (s Status) Probe(ctx context.Context) error { // want Probe:`dials\(leaks params=-1\)`
	cli, err := clientv3.NewFromURL(s.Endpoint)
	if err != nil {
		return err
	}
	_, err = cli.Status(ctx, s.Endpoint)
	return err
}

// Kept dials its client on the first probe and keeps it.
type Kept struct {
	Endpoints []string

	mu  sync.Mutex
	cli *clientv3.Client
}

// Check reads through the kept client.
func (k *Kept) Check(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cli == nil {
		cli, err := clientv3.New(clientv3.Config{Endpoints: k.Endpoints})
		if err != nil {
			return err
		}
		k.cli = cli
	}
	_, err := k.cli.Get(ctx, "health")
	return err
}

// Checker is this package's own interface, implemented only by Kept.
type Checker interface {
	Check(ctx context.Context) error
}

var _ Checker = (*Kept)(nil)
