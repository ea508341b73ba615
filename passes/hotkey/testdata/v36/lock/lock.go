// Package lock takes and holds keys with compare-and-swap transactions.
package lock

import (
	"context"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Locker takes one lock key for this process.
type Locker struct {
	cli *clientv3.Client
	key string
	id  string
}

// Acquire retries a create-if-absent until it succeeds, then leaves: the
// key is written once. Not reported.
func (l *Locker) Acquire(ctx context.Context, lease clientv3.LeaseID) error {
	for {
		resp, err := l.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.CreateRevision(l.key), "=", 0)).
			Then(clientv3.OpPut(l.key, l.id, clientv3.WithLease(lease))).
			Commit()
		if err == nil && resp.Succeeded {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// AcquireFresh grants a lease on every attempt and sleeps after a failed
// one; the Txn's response is only set when the grant worked. Not
// reported: the loop leaves when the Txn succeeds.
func (l *Locker) AcquireFresh(ctx context.Context) error {
	for {
		var resp *clientv3.TxnResponse
		g, err := l.cli.Grant(ctx, 10)
		if err == nil {
			put := clientv3.OpPut(l.key, l.id, clientv3.WithLease(g.ID))
			resp, err = l.cli.Txn(ctx).If(clientv3.Compare(clientv3.Version(l.key), "=", 0)).Then(put).Commit()
		}
		if err != nil || !resp.Succeeded {
			time.Sleep(3 * time.Second)
			continue
		}
		return nil
	}
}

// Register grants a lease and puts the key under it, retrying both every
// 3 s until the put succeeds: the error tested is the grant's or the
// put's. Not reported here (one write per call).
func (l *Locker) Register(ctx context.Context) error { // want Register:`rewrites\("…"\) params\(-1\)`
	for {
		g, err := l.cli.Grant(ctx, 10)
		if err == nil {
			_, err = l.cli.Put(ctx, l.key, l.id, clientv3.WithLease(g.ID))
		}
		if err != nil {
			time.Sleep(3 * time.Second)
			continue
		}
		return nil
	}
}

// Reconnect puts the key under a new lease and opens its KeepAlive,
// starting over after a short sleep when any step failed, and returns the
// keep-alive channel once all worked: a retry of the registration, one
// write per call. Not reported.
func (l *Locker) Reconnect(ctx context.Context) <-chan *clientv3.LeaseKeepAliveResponse { // want Reconnect:`rewrites\("…"\) params\(-1\)`
	for {
		g, err := l.cli.Grant(ctx, 10)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		if _, err := l.cli.Put(ctx, l.key, l.id, clientv3.WithLease(g.ID)); err != nil {
			time.Sleep(time.Second)
			continue
		}
		ch, err := l.cli.KeepAlive(ctx, g.ID)
		if err == nil {
			return ch
		}
		time.Sleep(time.Second)
	}
}

func (l *Locker) try(ctx context.Context) (bool, error) {
	resp, err := l.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(l.key), "=", 0)).
		Then(clientv3.OpPut(l.key, l.id)).
		Commit()
	if err != nil {
		return false, err
	}
	return resp.Succeeded, nil
}

// Wait polls a helper every second until it takes the lock. Not reported.
func (l *Locker) Wait(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		ok, err := l.try(ctx)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return errors.New("ticker stopped")
}

// Claim puts the key on every tick, but only when it is absent: it is
// recreated after it expired, never rewritten. Not reported.
func (l *Locker) Claim(ctx context.Context) {
	for range time.Tick(5 * time.Second) {
		_, _ = l.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.CreateRevision(l.key), "=", 0)).
			Then(clientv3.OpPut(l.key, l.id)).
			Commit()
	}
}

// Sync writes the status only when etcd holds another value: a change
// check done by the Txn. Not reported.
func (l *Locker) Sync(ctx context.Context, status func() string) {
	for range time.Tick(5 * time.Second) {
		s := status()
		_, _ = l.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.Value(l.key+"/status"), "!=", s)).
			Then(clientv3.OpPut(l.key+"/status", s)).
			Commit()
	}
}

// Report writes the status on every tick while this process holds the
// lock: the compare is a precondition on another key, not a change check.
func (l *Locker) Report(ctx context.Context, status func() string) {
	for range time.Tick(5 * time.Second) {
		_, _ = l.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.Value(l.key), "=", l.id)).
			Then(clientv3.OpPut(l.key+"/status", status())). // want `etcd key "…/status" is rewritten every 5s by this loop`
			Commit()
	}
}
