// Package a grants leases with the etcd client directly.
package a

import (
	"context"
	"errors"
	"log"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// beat grants a fresh lease on every tick for one presence key.
func beat(ctx context.Context, cli *clientv3.Client, self string) {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for range t.C {
		lease, err := cli.Grant(ctx, 10) // want `a new lease is granted on every iteration of this loop, writing the same key\(s\) with it each time, and the previous lease is never revoked`
		if err != nil {
			continue
		}
		cli.Put(ctx, "/presence/"+self, "up", clientv3.WithLease(lease.ID))
	}
}

// probe grants a lease per tick to test that the cluster takes writes and
// drops it.
func probe(ctx context.Context, cli clientv3.Lease, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Second):
		}
		if _, err := cli.Grant(ctx, 5); err != nil { // want `a new lease is granted on every iteration of this loop and never used`
			log.Printf("lease grant failed: %v", err)
		}
	}
}

// retryUntilPut re-registers a key that vanished: it grants only when the
// Get finds the key absent, that is once the lease the key was put with is
// gone, so one lease lives at a time (a failed put's lease expires with
// its TTL).
func retryUntilPut(ctx context.Context, cli *clientv3.Client, key, val string) {
	for {
		time.Sleep(10 * time.Second)
		get, err := cli.Get(ctx, key)
		if err != nil || len(get.Kvs) > 0 {
			continue
		}
		lease, err := cli.Grant(ctx, 60)
		if err != nil {
			continue
		}
		if _, err := cli.Put(ctx, key, val, clientv3.WithLease(lease.ID)); err != nil {
			continue
		}
		if _, err := cli.KeepAliveOnce(ctx, lease.ID); err != nil {
			log.Print(err)
		}
	}
}

// perMember grants one lease per member key with one TTL.
func perMember(ctx context.Context, cli *clientv3.Client, members []string) error {
	for _, m := range members {
		lease, err := cli.Grant(ctx, 30) // want `a new lease is granted for every element of this loop, each for that element's key with the same TTL`
		if err != nil {
			return err
		}
		if _, err := cli.Put(ctx, "/members/"+m, "1", clientv3.WithLease(lease.ID)); err != nil {
			return err
		}
	}
	return nil
}

// perMemberOp attaches the lease through an Op in a Txn.
func perMemberOp(ctx context.Context, cli *clientv3.Client, members map[string]string) {
	for name, addr := range members {
		lease, err := cli.Grant(ctx, 30) // want `for every element of this loop`
		if err != nil {
			return
		}
		opts := []clientv3.OpOption{clientv3.WithLease(lease.ID)}
		cli.Txn(ctx).Then(clientv3.OpPut("/addr/"+name, addr, opts...)).Commit()
	}
}

// ---- not reported ----

// renew grants once and renews the one lease on every tick.
func renew(ctx context.Context, cli *clientv3.Client, self string) error { // want renew:`grants\(keys=2\)`
	lease, err := cli.Grant(ctx, 10)
	if err != nil {
		return err
	}
	if _, err := cli.Put(ctx, "/presence/"+self, "up", clientv3.WithLease(lease.ID)); err != nil {
		return err
	}
	for range time.Tick(3 * time.Second) {
		if _, err := cli.KeepAliveOnce(ctx, lease.ID); err != nil {
			return err
		}
	}
	return nil
}

// retryGrant retries until one grant and put succeed, then leaves.
func retryGrant(ctx context.Context, cli *clientv3.Client, key string) (clientv3.LeaseID, error) { // want retryGrant:`grants\(result=0 keys=2\)`
	for i := 0; ; i++ {
		lease, err := cli.Grant(ctx, 10)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		if _, err = cli.Put(ctx, key, "x", clientv3.WithLease(lease.ID)); err != nil {
			time.Sleep(time.Second)
			continue
		}
		return lease.ID, nil
	}
}

// revokedEachTick revokes the old lease before the next grant.
func revokedEachTick(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(time.Minute) {
		lease, err := cli.Grant(ctx, 10)
		if err != nil {
			continue
		}
		cli.Put(ctx, "/job/lock", "me", clientv3.WithLease(lease.ID))
		doWork()
		cli.Revoke(ctx, lease.ID)
	}
}

func doWork() {}

// keptPerElement keeps every element's lease ID so each can be revoked.
func keptPerElement(ctx context.Context, cli *clientv3.Client, jobs []string) (map[string]clientv3.LeaseID, error) {
	out := map[string]clientv3.LeaseID{}
	for _, j := range jobs {
		lease, err := cli.Grant(ctx, 30)
		if err != nil {
			return nil, err
		}
		cli.Put(ctx, "/jobs/"+j, "run", clientv3.WithLease(lease.ID))
		out[j] = lease.ID
	}
	return out, nil
}

// ttlPerElement gives each element its own lifetime.
func ttlPerElement(ctx context.Context, cli *clientv3.Client, ttls map[string]int64) {
	for k, ttl := range ttls {
		lease, err := cli.Grant(ctx, ttl)
		if err != nil {
			return
		}
		cli.Put(ctx, k, "v", clientv3.WithLease(lease.ID))
	}
}

// holder grants only when it holds no lease.
type holder struct {
	cli   *clientv3.Client
	lease clientv3.LeaseID
	key   string
}

func (h *holder) refresh(ctx context.Context) error {
	if h.lease == clientv3.NoLease {
		resp, err := h.cli.Grant(ctx, 10)
		if err != nil {
			return err
		}
		h.lease = resp.ID
	}
	_, err := h.cli.KeepAliveOnce(ctx, h.lease)
	return err
}

func (h *holder) run(ctx context.Context) {
	for range time.Tick(time.Second) {
		if err := h.refresh(ctx); err != nil {
			h.lease = clientv3.NoLease
		}
	}
}

var errGone = errors.New("gone")

// regrantOnLoss renews one lease and grants a new one only when the
// keep-alive channel reports the lease gone.
func regrantOnLoss(ctx context.Context, cli *clientv3.Client, key string) { // want regrantOnLoss:`grants\(keys=2 forever\)`
	lease, err := cli.Grant(ctx, 10)
	if err != nil {
		return
	}
	cli.Put(ctx, key, "up", clientv3.WithLease(lease.ID))
	ch, err := cli.KeepAlive(ctx, lease.ID)
	if err != nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case resp := <-ch:
			if resp != nil {
				continue
			}
			next, err := cli.Grant(ctx, 10)
			if err != nil {
				time.Sleep(time.Second)
				continue
			}
			cli.Put(ctx, key, "up", clientv3.WithLease(next.ID))
			if ch, err = cli.KeepAlive(ctx, next.ID); err != nil {
				return
			}
		}
	}
}
