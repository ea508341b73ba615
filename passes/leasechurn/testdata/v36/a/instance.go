package a

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// ipLock holds one virtual address's lock, with its own lease.
type ipLock struct {
	cli   *clientv3.Client
	key   string
	lease clientv3.LeaseID
}

// newIPLock builds one lock per address.
func newIPLock(cli *clientv3.Client, addr string) *ipLock {
	return &ipLock{cli: cli, key: "/locks/ip/" + addr}
}

// Refresh takes the lock with the lock's own lease and renews it.
func (l *ipLock) Refresh(ctx context.Context) error {
	if l.lease == 0 {
		resp, err := l.cli.Grant(ctx, 10) // want `each \*ipLock grants its own lease and attaches only its own key \(key\) to it, and newIPLock builds one \*ipLock per key it is given`
		if err != nil {
			return err
		}
		l.lease = resp.ID
	}
	_, err := l.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(l.key), "=", 0)).
		Then(clientv3.OpPut(l.key, "held", clientv3.WithLease(l.lease))).
		Commit()
	if err != nil {
		return err
	}
	_, err = l.cli.KeepAliveOnce(ctx, l.lease)
	return err
}

// endpoint registers one service endpoint with its own lease, granted
// when it has none.
type endpoint struct {
	kv    clientv3.KV
	lc    clientv3.Lease
	path  string
	addr  string
	lease clientv3.LeaseID
}

func newEndpoint(kv clientv3.KV, lc clientv3.Lease, service, addr string) *endpoint {
	return &endpoint{kv: kv, lc: lc, path: "/services/" + service + "/" + addr, addr: addr}
}

func (e *endpoint) Announce(ctx context.Context) error {
	if e.lease == clientv3.NoLease {
		g, err := e.lc.Grant(ctx, 30) // want `each \*endpoint grants its own lease`
		if err != nil {
			return err
		}
		e.lease = g.ID
	}
	_, err := e.kv.Put(ctx, e.path, e.addr, clientv3.WithLease(e.lease))
	return err
}

// ---- not reported ----

// leases is the host's one lease, shared by every lock.
type leases struct {
	cli *clientv3.Client
	id  clientv3.LeaseID
}

func (m *leases) get(ctx context.Context) (clientv3.LeaseID, error) {
	if m.id == 0 {
		resp, err := m.cli.Grant(ctx, 10)
		if err != nil {
			return 0, err
		}
		m.id = resp.ID
	}
	return m.id, nil
}

// sharedLock takes its lock with the host's shared lease.
type sharedLock struct {
	cli    *clientv3.Client
	key    string
	leases *leases
}

func newSharedLock(cli *clientv3.Client, m *leases, addr string) *sharedLock {
	return &sharedLock{cli: cli, key: "/locks/ip/" + addr, leases: m}
}

func (l *sharedLock) Refresh(ctx context.Context) error {
	id, err := l.leases.get(ctx)
	if err != nil {
		return err
	}
	_, err = l.cli.Put(ctx, l.key, "held", clientv3.WithLease(id))
	return err
}

// leader is the process's one leadership key, fixed: one per process.
type leader struct {
	cli   *clientv3.Client
	key   string
	lease clientv3.LeaseID
}

func newLeader(cli *clientv3.Client) *leader {
	return &leader{cli: cli, key: "/leader"}
}

func (l *leader) Hold(ctx context.Context) error {
	if l.lease == 0 {
		resp, err := l.cli.Grant(ctx, 10)
		if err != nil {
			return err
		}
		l.lease = resp.ID
	}
	_, err := l.cli.Put(ctx, l.key, "me", clientv3.WithLease(l.lease))
	return err
}
