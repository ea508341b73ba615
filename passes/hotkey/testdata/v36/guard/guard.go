// Package guard re-registers a key only when a read finds it gone, with the
// read done in a goroutine the loop waits for or in a closure it calls.
package guard

import (
	"context"
	"log"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Registrar keeps one service key registered.
type Registrar struct {
	cli   *clientv3.Client
	key   string
	val   string
	lease clientv3.LeaseID
	stop  chan struct{}
}

// Watchdog is not reported: the Get runs in a goroutine the loop waits for,
// and the Put only when that Get found the key gone.
func (r *Registrar) Watchdog() {
	var (
		resp *clientv3.GetResponse
		err  error
		wg   sync.WaitGroup
	)
	for {
		select {
		case <-r.stop:
			return
		case <-time.After(10 * time.Second):
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			resp, err = r.cli.Get(ctx, r.key)
		}()
		wg.Wait()
		if err != nil {
			continue
		}
		if len(resp.Kvs) == 0 {
			_, _ = r.cli.Put(context.Background(), r.key, r.val, clientv3.WithLease(r.lease))
		}
	}
}

// Probe is not reported: a closure called in place counts the key, and the
// Put runs only when the count was zero.
func (r *Registrar) Probe(ctx context.Context) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for range t.C {
		var gone bool
		func() {
			resp, err := r.cli.Get(ctx, r.key, clientv3.WithCountOnly())
			gone = err == nil && resp.Count == 0
		}()
		if gone {
			_, _ = r.cli.Put(ctx, r.key, r.val, clientv3.WithLease(r.lease))
		}
	}
}

// Refresh is reported: the goroutine's read guards nothing, the Put runs on
// every tick.
func (r *Registrar) Refresh(ctx context.Context) {
	var (
		resp *clientv3.GetResponse
		wg   sync.WaitGroup
	)
	for range time.Tick(10 * time.Second) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ = r.cli.Get(ctx, r.key)
		}()
		wg.Wait()
		if resp != nil && len(resp.Kvs) > 0 {
			log.Printf("%s was %q", r.key, resp.Kvs[0].Value)
		}
		_, _ = r.cli.Put(ctx, r.key, r.val) // want `a fixed etcd key is rewritten every 10s by this loop`
	}
}
