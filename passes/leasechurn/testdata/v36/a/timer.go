package a

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Beacon announces its node under a lease from a callback that re-arms
// its own timer.
type Beacon struct {
	cli   *clientv3.Client
	node  string
	timer *time.Timer
	lease clientv3.LeaseID
}

func (b *Beacon) announce() { // want announce:`grants\(keys=-1\)`
	ctx := context.Background()
	l, err := b.cli.Grant(ctx, 15) // want `a new lease is granted every time time.AfterFunc runs this function \(it re-arms its own timer\), writing the same key\(s\) with it each time, and the previous lease is never revoked`
	if err == nil {
		b.cli.Put(ctx, "/beacons/"+b.node, "up", clientv3.WithLease(l.ID))
	}
	b.timer.Reset(5 * time.Second)
}

// Start announces now and every 5 s.
func (b *Beacon) Start() {
	b.timer = time.AfterFunc(0, b.announce)
}

func (b *Beacon) replace() {
	ctx := context.Background()
	l, err := b.cli.Grant(ctx, 15)
	if err != nil {
		b.timer.Reset(time.Second)
		return
	}
	old := b.lease
	b.lease = l.ID
	b.cli.Put(ctx, "/beacons/"+b.node, "up", clientv3.WithLease(l.ID))
	b.cli.Revoke(ctx, old)
	b.timer.Reset(5 * time.Second)
}

// Replace keeps each lease's ID and revokes the previous one.
func (b *Beacon) Replace() {
	b.timer = time.AfterFunc(0, b.replace)
}

func (b *Beacon) once() { // want once:`grants\(keys=-1\)`
	ctx := context.Background()
	l, err := b.cli.Grant(ctx, 15)
	if err == nil {
		b.cli.Put(ctx, "/beacons/"+b.node+"/started", "yes", clientv3.WithLease(l.ID))
	}
}

// Once announces once after a delay: nothing re-arms the timer.
func (b *Beacon) Once() {
	b.timer = time.AfterFunc(time.Second, b.once)
}
