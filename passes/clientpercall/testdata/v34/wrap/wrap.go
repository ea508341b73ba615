// Package wrap is the application's own layer over etcd clients.
package wrap

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Store is the application's etcd-backed store.
type Store struct{ cli *clientv3.Client }

// NewStore dials a client for one store: a per-component constructor.
func NewStore(endpoints []string) (*Store, error) { // want NewStore:`dials\(result=0 params=0\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
	if err != nil {
		return nil, err
	}
	return &Store{cli: cli}, nil
}

// Close closes the store's client.
func (s *Store) Close() error { return s.cli.Close() }

// Get reads a key.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	resp, err := s.cli.Get(ctx, key)
	if err != nil || len(resp.Kvs) == 0 {
		return "", err
	}
	return string(resp.Kvs[0].Value), nil
}

// Checker checks the cluster's health.
type Checker struct{ Endpoints []string }

// Check dials, reads and closes.
func (c *Checker) Check(ctx context.Context) error { // want Check:`dials\(releases params=-1\)`
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints})
	if err != nil {
		return err
	}
	defer cli.Close()
	_, err = cli.Get(ctx, "health")
	return err
}

// Dialer opens stores.
type Dialer interface {
	Open(endpoints []string) (*Store, error) // want Open:`dials\(result=0 params=0\)`
}

type dialer struct{}

// NewDialer returns the Dialer that dials a client per store.
func NewDialer() Dialer { return dialer{} }

func (dialer) Open(endpoints []string) (*Store, error) { // want Open:`dials\(result=0 params=0\)`
	return NewStore(endpoints)
}

// Ping dials and never closes: a leak on every call.
func Ping(ctx context.Context, endpoint string) error { // want Ping:`dials\(leaks params=1\)`
	cli, err := clientv3.NewFromURL(endpoint)
	if err != nil {
		return err
	}
	_, err = cli.Get(ctx, "ping")
	return err
}
