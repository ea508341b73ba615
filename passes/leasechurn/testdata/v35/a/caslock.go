package a

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// takeLeader creates the leader key under a new lease when nobody holds
// it, and waits and tries again while somebody does. An attempt whose
// compare fails writes nothing with its lease (the lease expires after
// its TTL); the loop ends with the first attempt that took effect.
func takeLeader(ctx context.Context, cli *clientv3.Client, key, me string) (clientv3.LeaseID, error) { // want takeLeader:`grants\(result=0 keys=2\)`
	for {
		grant, err := cli.Grant(ctx, 15)
		var resp *clientv3.TxnResponse
		if err == nil {
			resp, err = cli.Txn(ctx).
				If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
				Then(clientv3.OpPut(key, me, clientv3.WithLease(grant.ID))).
				Commit()
		}
		if err != nil || !resp.Succeeded {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(15 * time.Second):
			}
			continue
		}
		return grant.ID, nil
	}
}

// waitOwner does the same through the KV and Lease interfaces in a
// goroutine, and reports the lease it won on a channel.
func waitOwner(ctx context.Context, kv clientv3.KV, lc clientv3.Lease, key string, won chan<- clientv3.LeaseID) {
	go func() {
		for {
			l, err := lc.Grant(ctx, 20)
			if err != nil {
				time.Sleep(time.Second)
				continue
			}
			r, err := kv.Txn(ctx).
				If(clientv3.Compare(clientv3.Version(key), "=", 0)).
				Then(clientv3.OpPut(key, "owner", clientv3.WithLease(l.ID))).
				Commit()
			if err == nil && r.Succeeded {
				won <- l.ID
				return
			}
			time.Sleep(20 * time.Second)
		}
	}()
}

// casEveryTick compares and swaps the same key under a new lease on every
// tick and goes on after a swap that succeeded: a lease per tick.
func casEveryTick(ctx context.Context, cli *clientv3.Client, key string, rev int64) {
	for range time.Tick(5 * time.Second) {
		l, err := cli.Grant(ctx, 10) // want `a new lease is granted on every iteration of this loop, writing the same key\(s\) with it each time`
		if err != nil {
			continue
		}
		resp, err := cli.Txn(ctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", rev)).
			Then(clientv3.OpPut(key, "beat", clientv3.WithLease(l.ID))).
			Commit()
		if err != nil || !resp.Succeeded {
			continue
		}
		rev = resp.Header.Revision
	}
}

// untilLost leaves when the compare fails and grants again after every
// swap that worked: success is what repeats.
func untilLost(ctx context.Context, cli *clientv3.Client, key string) {
	for {
		time.Sleep(3 * time.Second)
		l, err := cli.Grant(ctx, 10) // want `a new lease is granted on every iteration of this loop, writing the same key\(s\) with it each time`
		if err != nil {
			return
		}
		resp, err := cli.Txn(ctx).
			If(clientv3.Compare(clientv3.Value(key), "=", "mine")).
			Then(clientv3.OpPut(key, "mine", clientv3.WithLease(l.ID))).
			Commit()
		if err != nil || !resp.Succeeded {
			return
		}
	}
}
