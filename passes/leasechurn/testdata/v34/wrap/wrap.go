// Package wrap is the application's own layer over etcd leases.
package wrap

import (
	"context"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Store is the application's etcd-backed store.
type Store struct{ cli *clientv3.Client }

// New wraps a client.
func New(cli *clientv3.Client) *Store { return &Store{cli: cli} }

// Register writes key with a new lease of ttl seconds.
func (s *Store) Register(ctx context.Context, key, val string, ttl int64) error { // want Register:`grants\(keys=1\)`
	lease, err := s.cli.Grant(ctx, ttl)
	if err != nil {
		return err
	}
	_, err = s.cli.Put(ctx, key, val, clientv3.WithLease(lease.ID))
	return err
}

// NewLease grants a lease and returns its ID.
func (s *Store) NewLease(ctx context.Context, ttl int64) (clientv3.LeaseID, error) { // want NewLease:`grants\(result=0\)`
	resp, err := s.cli.Grant(ctx, ttl)
	if err != nil {
		return 0, err
	}
	return resp.ID, nil
}

// Announce writes key with a lease kept alive for the client's life and
// keeps the lease ID nowhere.
func (s *Store) Announce(key, val string) error { // want Announce:`grants\(keys=0 forever\)`
	ctx := context.Background()
	lease, err := s.cli.Grant(ctx, 30) // want `a new lease is granted on every call, kept alive until the process exits, and its ID is kept nowhere: every call of Announce`
	if err != nil {
		return err
	}
	if _, err := s.cli.Put(ctx, key, val, clientv3.WithLease(lease.ID)); err != nil {
		return err
	}
	ch, err := s.cli.KeepAlive(ctx, lease.ID)
	if err != nil {
		s.cli.Revoke(ctx, lease.ID) // cleanup of a failed start, not a release
		return err
	}
	go func() {
		for range ch {
		}
	}()
	return nil
}

// Lock grants, writes, and revokes: one lease per call, balanced.
func (s *Store) Lock(ctx context.Context, key string, work func()) error {
	lease, err := s.cli.Grant(ctx, 10)
	if err != nil {
		return err
	}
	defer s.cli.Revoke(context.Background(), lease.ID)
	if _, err := s.cli.Put(ctx, key, "held", clientv3.WithLease(lease.ID)); err != nil {
		return err
	}
	work()
	return nil
}

// Registrar is what the application registers through.
type Registrar interface {
	Register(ctx context.Context, key, val string, ttl int64) error // want Register:`grants\(keys=1\)`
}

// TryLock creates key under a new lease when it does not exist; the
// response says whether it did.
func (s *Store) TryLock(ctx context.Context, key, owner string) (*clientv3.TxnResponse, error) { // want TryLock:`grants\(keys=1\)`
	lease, err := s.cli.Grant(ctx, 10)
	if err != nil {
		return nil, err
	}
	return s.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
		Then(clientv3.OpPut(key, owner, clientv3.WithLease(lease.ID))).
		Commit()
}
