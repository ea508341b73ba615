// Package reg is a service registry over the application's store.
package reg

import (
	"context"
	"sync"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/wrap"
)

// Service is one registered endpoint.
type Service struct{ Name, Addr string }

func path(s Service) string { return "/services/" + s.Name + "/" + s.Addr }

// Registry registers services through the store.
type Registry struct {
	store *wrap.Store
	cli   *clientv3.Client

	mu     sync.Mutex
	leases map[string]clientv3.LeaseID
}

// Register announces the service; every call adds a lease kept alive
// forever, Deregister cannot revoke it.
func (r *Registry) Register(s Service) error { // want Register:`grants\(keys=0 forever\)`
	return r.store.Announce(path(s), s.Addr) // want `Store.Announce grants a new lease on every call and keeps it alive until the process exits, and its ID is kept nowhere: every call of Register`
}

// Update re-registers the same key with yet another forever lease.
func (r *Registry) Update(s Service) error { // want Update:`grants\(keys=0 forever\)`
	if err := r.store.Announce(path(s), s.Addr); err != nil { // want `every call of Update`
		return err
	}
	return nil
}

// ---- not reported ----

// Publish keeps each key's lease so it can be revoked or reused.
func (r *Registry) Publish(ctx context.Context, s Service) error {
	lease, err := r.cli.Grant(ctx, 30)
	if err != nil {
		return err
	}
	if _, err := r.cli.Put(ctx, path(s), s.Addr, clientv3.WithLease(lease.ID)); err != nil {
		return err
	}
	ch, err := r.cli.KeepAlive(context.Background(), lease.ID)
	if err != nil {
		return err
	}
	go func() {
		for range ch {
		}
	}()
	r.mu.Lock()
	r.leases[path(s)] = lease.ID
	r.mu.Unlock()
	return nil
}

// Serve keeps the keep-alive's cancel per key: deregistering stops the
// renewals and the lease expires.
func (r *Registry) Serve(ctx context.Context, s Service, cancels map[string]context.CancelFunc) error { // want Serve:`grants\(keys=1\)`
	lease, err := r.cli.Grant(ctx, 30)
	if err != nil {
		return err
	}
	if _, err := r.cli.Put(ctx, path(s), s.Addr, clientv3.WithLease(lease.ID)); err != nil {
		return err
	}
	kctx, cancel := context.WithCancel(context.Background())
	ch, err := r.cli.KeepAlive(kctx, lease.ID)
	if err != nil {
		cancel()
		return err
	}
	go func() {
		for range ch {
		}
	}()
	r.mu.Lock()
	cancels[path(s)] = cancel
	r.mu.Unlock()
	return nil
}

// announceSelf registers the process once, with a fixed key.
func (r *Registry) announceSelf() error { // want announceSelf:`grants\(attached forever\)`
	return r.store.Announce("/self", "up")
}
