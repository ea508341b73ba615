// Package registry keeps the services of this process registered in etcd.
package registry

import (
	"context"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Service is one service of this process.
type Service struct {
	Name string
	Addr string
}

// Registry registers services under /services/NAME.
type Registry struct {
	cli      *clientv3.Client
	services []Service
	byName   map[string]string
	ttl      int64
	stop     chan struct{}
}

// Refresh re-puts every service's key with a fresh lease every 10 s instead
// of keeping one lease alive.
func (r *Registry) Refresh(ctx context.Context) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
		for _, s := range r.services {
			lease, err := r.cli.Grant(ctx, r.ttl)
			if err != nil {
				continue
			}
			_, _ = r.cli.Put(ctx, "/services/"+s.Name, s.Addr, clientv3.WithLease(lease.ID)) // want `etcd keys "/services/…" \(one per element of a collection the loop does not change\) is rewritten every 10s by this loop`
		}
	}
}

// Announce does the same for the services it is given, by index, with one
// lease for all of them.
func Announce(ctx context.Context, cli *clientv3.Client, lease clientv3.LeaseID, services []Service) {
	for range time.Tick(30 * time.Second) {
		for i := 0; i < len(services); i++ {
			_, _ = cli.Put(ctx, "/services/"+services[i].Name, services[i].Addr, clientv3.WithLease(lease)) // want `etcd keys "/services/…" \(one per element .*\) is rewritten every 30s by this loop`
		}
	}
}

// Mirror rewrites every entry of a map field on every tick.
func (r *Registry) Mirror(ctx context.Context) {
	for range time.Tick(time.Minute) {
		for name, addr := range r.byName {
			_, _ = r.cli.Put(ctx, "/addr/"+name, addr) // want `etcd keys "/addr/…" \(one per element .*\) is rewritten every 1m0s by this loop`
		}
	}
}

// registerAll puts every service's key once: one key per element of a
// field, the same set of keys on every call.
func (r *Registry) registerAll(ctx context.Context, lease clientv3.LeaseID) error { // want registerAll:`rewrites\("/services/…"\) params\(-1\) set each`
	for _, s := range r.services {
		if _, err := r.cli.Put(ctx, "/services/"+s.Name, s.Addr, clientv3.WithLease(lease)); err != nil {
			return err
		}
	}
	return nil
}

// Reannounce calls the helper every 15 s.
func (r *Registry) Reannounce(ctx context.Context, lease clientv3.LeaseID) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for range t.C {
		if err := r.registerAll(ctx, lease); err != nil { // want `etcd keys "/services/…" \(one per element of a collection the loop does not change\) is rewritten every 15s by this loop \(through Registry.registerAll\)`
			return
		}
	}
}

// Discovered is not reported: the services are read from etcd on every
// tick.
func (r *Registry) Discovered(ctx context.Context) {
	for range time.Tick(10 * time.Second) {
		resp, err := r.cli.Get(ctx, "/pending/", clientv3.WithPrefix())
		if err != nil {
			continue
		}
		for _, kv := range resp.Kvs {
			_, _ = r.cli.Put(ctx, "/services/"+string(kv.Key), string(kv.Value))
		}
	}
}

// Grow is not reported: the loop appends to the collection it ranges over.
func (r *Registry) Grow(ctx context.Context, next func() Service) {
	for range time.Tick(10 * time.Second) {
		r.services = append(r.services, next())
		for _, s := range r.services {
			_, _ = r.cli.Put(ctx, "/services/"+s.Name, s.Addr)
		}
	}
}

// Stamped is not reported: every key carries the tick's time.
func (r *Registry) Stamped(ctx context.Context) {
	for now := range time.Tick(10 * time.Second) {
		for _, s := range r.services {
			_, _ = r.cli.Put(ctx, "/services/"+s.Name+"/"+strconv.FormatInt(now.Unix(), 10), s.Addr)
		}
	}
}

// KeepAlive is the fix: the keys are put once under one lease, and the
// lease is kept alive.
func (r *Registry) KeepAlive(ctx context.Context) error { // want KeepAlive:`rewrites\("/services/…"\) params\(-1\) set each`
	lease, err := r.cli.Grant(ctx, r.ttl)
	if err != nil {
		return err
	}
	for _, s := range r.services {
		if _, err := r.cli.Put(ctx, "/services/"+s.Name, s.Addr, clientv3.WithLease(lease.ID)); err != nil {
			return err
		}
	}
	ch, err := r.cli.KeepAlive(ctx, lease.ID)
	if err != nil {
		return err
	}
	for range ch {
	}
	return nil
}
