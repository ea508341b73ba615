// Package reg is a service registry over the application's store.
package reg

import (
	"context"
	"log"
	"sync"

	clientv3 "github.com/coreos/etcd/clientv3"

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

// Locker holds named locks, each a key under a lease kept alive until
// Unlock revokes it; the lease IDs live in a sync.Map.
type Locker struct {
	cli  *clientv3.Client
	held sync.Map
}

func (l *Locker) Lock(ctx context.Context, name string) error {
	g, err := l.cli.Grant(ctx, 15)
	if err != nil {
		return err
	}
	if _, err := l.cli.Put(ctx, "/locks/"+name, "held", clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	ka, err := l.cli.KeepAlive(context.Background(), g.ID)
	if err != nil {
		return err
	}
	go func() {
		for range ka {
		}
	}()
	l.held.Store(name, g.ID)
	return nil
}

func (l *Locker) Unlock(ctx context.Context, name string) error {
	v, ok := l.held.LoadAndDelete(name)
	if !ok {
		return nil
	}
	_, err := l.cli.Revoke(ctx, v.(clientv3.LeaseID))
	return err
}

// Table is a concurrent map of another library.
type Table interface {
	Set(key string, v any)
	Pop(key string) (any, bool)
}

// Claims records each claim's lease in a Table, where Release finds it.
type Claims struct {
	cli   *clientv3.Client
	table Table
}

func (c *Claims) Claim(ctx context.Context, name string) error {
	g, err := c.cli.Grant(ctx, 15)
	if err != nil {
		return err
	}
	if _, err := c.cli.Put(ctx, "/claims/"+name, "mine", clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	c.table.Set(name, g.ID)
	ka, err := c.cli.KeepAlive(context.Background(), g.ID)
	if err != nil {
		return err
	}
	go func() {
		for range ka {
		}
	}()
	return nil
}

func (c *Claims) Release(ctx context.Context, name string) error {
	v, ok := c.table.Pop(name)
	if !ok {
		return nil
	}
	_, err := c.cli.Revoke(ctx, v.(clientv3.LeaseID))
	return err
}

// Grab only logs the lease it keeps alive forever.
func (c *Claims) Grab(ctx context.Context, name string) error { // want Grab:`grants\(keys=1 forever\)`
	g, err := c.cli.Grant(ctx, 15) // want `a new lease is granted on every call, kept alive until the process exits, and its ID is kept nowhere: every call of Grab`
	if err != nil {
		return err
	}
	if _, err := c.cli.Put(ctx, "/claims/"+name, "mine", clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	log.Printf("claimed %s under lease %x", name, g.ID)
	ka, err := c.cli.KeepAlive(context.Background(), g.ID)
	if err != nil {
		return err
	}
	go func() {
		for range ka {
		}
	}()
	return nil
}
