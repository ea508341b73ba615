package app

import (
	"context"
	"sync"
	"time"

	"example.com/fixture/wrap"
	clientv3 "go.etcd.io/etcd/clientv3"
)

// leader holds named locks, each a key written under its own lease.
type leader struct {
	cli  *clientv3.Client
	mu   sync.Mutex
	held map[string]clientv3.LeaseID
}

func (l *leader) holds(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.held[name]
	return ok
}

// Acquire keeps the lock's lease alive from a goroutine that asks for a
// new keep-alive on a short deadline each time the last one ended.
func (l *leader) Acquire(ctx context.Context, name string) error {
	g, err := l.cli.Grant(ctx, 9)
	if err != nil {
		return err
	}
	if _, err := l.cli.Put(ctx, "locks/"+name, "me", clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	l.mu.Lock()
	l.held[name] = g.ID
	l.mu.Unlock()
	go func() {
		for l.holds(name) {
			ka, err := l.cli.KeepAlive(wrap.Deadline(2*time.Second), g.ID) // want `keep-alive from Lease.KeepAlive is opened again on the same lease every time its channel closes`
			if err != nil {
				return
			}
			for range ka {
			}
		}
	}()
	return nil
}

// Refresh asks the store's helper for the keep-alive, on the caller's
// context, again whenever the channel closes.
func Refresh(ctx context.Context, s *wrap.Store, id clientv3.LeaseID) {
	for ctx.Err() == nil {
		ka, err := s.Renew(ctx, id) // want `keep-alive from Store.Renew is opened again on the same lease`
		if err != nil {
			return
		}
		for range ka {
		}
	}
}

// Clean: each round renews once and stops when etcd says the lease is gone.
func (l *leader) renewOnce(name string, id clientv3.LeaseID) {
	for l.holds(name) {
		if _, err := l.cli.KeepAliveOnce(wrap.Deadline(time.Second), id); err != nil {
			return
		}
		time.Sleep(3 * time.Second)
	}
}

// Tend hands each keep-alive to the store's drain helper and asks for the
// same lease again when the helper returns.
func Tend(cli *clientv3.Client, id clientv3.LeaseID, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		ka, err := cli.KeepAlive(context.Background(), id) // want `keep-alive from Lease.KeepAlive is opened again on the same lease`
		if err != nil {
			return
		}
		wrap.Drain(ka)
	}
}

// Clean: the drain helper's return means the lease is gone; a new one is
// granted.
func TendFresh(ctx context.Context, cli *clientv3.Client) error {
	for ctx.Err() == nil {
		g, err := cli.Grant(ctx, 10)
		if err != nil {
			return err
		}
		ka, err := cli.KeepAlive(ctx, g.ID)
		if err != nil {
			return err
		}
		wrap.Drain(ka)
	}
	return ctx.Err()
}
