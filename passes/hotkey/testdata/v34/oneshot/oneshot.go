// Package oneshot writes etcd keys behind one-shot timers.
package oneshot

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Node announces itself after a start-up delay and keeps a lease alive.
type Node struct {
	cli   *clientv3.Client
	key   string
	lease clientv3.LeaseID
}

// Run announces the node once, when the start-up delay has passed; the
// ticker only renews the lease. Not reported.
func (n *Node) Run(ctx context.Context) {
	ready := time.After(30 * time.Second)
	renew := time.NewTicker(5 * time.Second)
	defer renew.Stop()
	for {
		select {
		case <-ready:
			_, _ = n.cli.Put(ctx, n.key, "ready", clientv3.WithLease(n.lease))
		case <-renew.C:
			_, _ = n.cli.KeepAliveOnce(ctx, n.lease)
		case <-ctx.Done():
			return
		}
	}
}

// Poll re-arms its timer every time it fires: a period. Reported.
func (n *Node) Poll(ctx context.Context) {
	next := time.After(time.Minute)
	for {
		select {
		case <-next:
			_, _ = n.cli.Put(ctx, n.key+"/seen", "yes") // want `etcd key "…/seen" is rewritten every 1m0s by this loop`
			next = time.After(time.Minute)
		case <-ctx.Done():
			return
		}
	}
}

// Beat resets its timer after each write: a period. Reported.
func (n *Node) Beat(ctx context.Context) {
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	for {
		<-t.C
		_, _ = n.cli.Put(ctx, n.key+"/beat", "1") // want `etcd key "…/beat" is rewritten every 10s by this loop`
		t.Reset(10 * time.Second)
	}
}

// Probe re-arms its timer only while a check fails, and stops once it
// passes. Not reported.
func (n *Node) Probe(ctx context.Context, healthy func() bool) {
	check := time.After(time.Second)
	for {
		select {
		case <-check:
			_, _ = n.cli.Put(ctx, n.key+"/probe", "running")
			if !healthy() {
				check = time.After(time.Second)
			}
		case <-ctx.Done():
			return
		}
	}
}
