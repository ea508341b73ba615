// Package members keeps a cluster's member list in one key of a kvlib
// store; the etcd-backed store is one its constructor can pick.
package members

import (
	"context"
	"encoding/json"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/kvetcd"
	"example.com/fixture/kvlib"
)

// List is every member of the cluster with its last heartbeat.
type List map[string]time.Time

// Membership announces this member in the shared list.
type Membership struct {
	store kvlib.Store
	key   string
	self  string
}

// New returns a Membership on etcd when cli is set, in memory otherwise.
func New(cli *clientv3.Client, key, self string) *Membership {
	var store kvlib.Store = &kvlib.Memory{}
	if cli != nil {
		store = kvetcd.New(cli)
	}
	return &Membership{store: store, key: key, self: self}
}

// timed records how long each store call takes. It calls the store inside
// a callback, so the pass cannot tell what it writes; it does not hide
// what the etcd store it may wrap writes.
type timed struct {
	inner   kvlib.Store
	observe func(op string, d time.Duration)
}

func (t timed) measure(op string, f func() error) error {
	start := time.Now()
	err := f()
	t.observe(op, time.Since(start))
	return err
}

func (t timed) Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error {
	return t.measure("update", func() error { return t.inner.Update(ctx, key, fn) })
}

func (t timed) Set(ctx context.Context, key string, val []byte) error {
	return t.measure("set", func() error { return t.inner.Set(ctx, key, val) })
}

// NewTimed is New with every store call measured.
func NewTimed(cli *clientv3.Client, key, self string, observe func(string, time.Duration)) *Membership {
	m := New(cli, key, self)
	m.store = timed{inner: m.store, observe: observe}
	return m
}

func (m *Membership) touch(old []byte) ([]byte, error) {
	l := List{}
	if len(old) > 0 {
		if err := json.Unmarshal(old, &l); err != nil {
			return nil, err
		}
	}
	l[m.self] = time.Now()
	return json.Marshal(l)
}

// Heartbeat rewrites the whole list every 5 s through the store's
// read-modify-write: every member writes the one key on every tick.
func (m *Membership) Heartbeat(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := m.store.Update(ctx, m.key, m.touch); err != nil { // want `a fixed etcd key is rewritten every 5s by this loop \(through Store.Update\)`
			continue
		}
	}
}

// Announce sets this member's own key every 10 s through a Txn wrapper.
func (m *Membership) Announce(ctx context.Context) {
	for range time.Tick(10 * time.Second) {
		_ = m.store.Set(ctx, m.key+"/"+m.self, []byte("up")) // want `etcd key "…/…" is rewritten every 10s by this loop \(through Store.Set\)`
	}
}

// Join adds this member once, retrying until the update succeeds: one
// write per call, which a caller's loop would repeat.
func (m *Membership) Join(ctx context.Context) error { // want Join:`rewrites\("…"\) params\(-1\)`
	for {
		err := m.store.Update(ctx, m.key, m.touch)
		if err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
}
