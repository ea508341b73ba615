// Package corpus models, in its own words, leaks found in real programs
// (service registration, key-value stores, cron heartbeats, distributed
// locks) next to the corrected shapes that must stay quiet.
package corpus

import (
	"context"
	"fmt"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Service registration that keeps its lease alive but never reads the
// keep-alive responses: the channel goes into a field nothing reads.
type registry struct {
	cli    *clientv3.Client
	ctx    context.Context
	lease  clientv3.Lease
	respCh <-chan *clientv3.LeaseKeepAliveResponse
}

func (r *registry) Register(key, val string, ttl time.Duration) error {
	if r.lease != nil {
		r.lease.Close()
	}
	r.lease = clientv3.NewLease(r.cli)
	g, err := r.lease.Grant(r.ctx, int64(ttl/time.Second))
	if err != nil {
		return err
	}
	if _, err := r.cli.Put(r.ctx, key, val, clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	r.respCh, err = r.lease.KeepAlive(r.ctx, g.ID) // want `keep-alive channel from Lease.KeepAlive on a long-lived context held in a struct field is never received from`
	if err != nil {
		return err
	}
	return nil
}

func (r *registry) Close() {
	if r.lease != nil {
		r.lease.Close()
	}
}

// The same registration, corrected: a goroutine consumes the responses.
type drainedRegistry struct {
	cli    *clientv3.Client
	ctx    context.Context
	lease  clientv3.Lease
	respCh <-chan *clientv3.LeaseKeepAliveResponse
}

func (r *drainedRegistry) Register(key, val string, ttl time.Duration) error {
	r.lease = clientv3.NewLease(r.cli)
	g, err := r.lease.Grant(r.ctx, int64(ttl/time.Second))
	if err != nil {
		return err
	}
	if _, err := r.cli.Put(r.ctx, key, val, clientv3.WithLease(g.ID)); err != nil {
		return err
	}
	r.respCh, err = r.lease.KeepAlive(r.ctx, g.ID)
	if err != nil {
		return err
	}
	go func() {
		for {
			select {
			case resp := <-r.respCh:
				if resp == nil {
					fmt.Println("keep-alive ended")
					return
				}
			case <-r.ctx.Done():
				return
			}
		}
	}()
	return nil
}
