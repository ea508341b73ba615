package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// measureLeaseChurn keeps one key alive for K ticks by granting a new lease
// every tick (what leasechurn reports) and by renewing one lease.
func measureLeaseChurn(ctx context.Context, e *env) (section, error) {
	ticks := 200
	if e.quick {
		ticks = 30
	}
	const ttl = 30
	s := section{
		pass:  "leasechurn",
		title: "a new lease every tick against one lease renewed",
		setup: fmt.Sprintf("%d ticks, each writing one presence key with a lease of TTL %d s. Per tick: Grant, then Put "+
			"WithLease (the previous lease is left to expire). Renewed: one Grant, then KeepAliveOnce and the same Put "+
			"each tick.", ticks, ttl),
		header: []string{"form", "raft entries a tick", "leases alive after", "revocations still due"},
	}
	for _, renew := range []bool{false, true} {
		srv, err := startServer(e.dir, serverOptions{})
		if err != nil {
			return s, err
		}
		idx0 := srv.etcd.Server.AppliedIndex()
		var lease clientv3.LeaseID
		for i := 0; i < ticks; i++ {
			if lease == 0 || !renew {
				g, err := srv.cli.Grant(ctx, ttl)
				if err != nil {
					srv.close()
					return s, err
				}
				lease = g.ID
			} else if _, err := srv.cli.KeepAliveOnce(ctx, lease); err != nil {
				srv.close()
				return s, err
			}
			if _, err := srv.cli.Put(ctx, "/presence/node-1", "up", clientv3.WithLease(lease)); err != nil {
				srv.close()
				return s, err
			}
		}
		time.Sleep(100 * time.Millisecond)
		idx1 := srv.etcd.Server.AppliedIndex()
		alive, err := leaseCount(ctx, srv.cli)
		if err != nil {
			srv.close()
			return s, err
		}
		form := "grant per tick"
		if renew {
			form = "one lease, renewed"
		}
		s.rows = append(s.rows, []string{form, fmt.Sprintf("%.2f", float64(idx1-idx0)/float64(ticks)),
			strconv.Itoa(alive), strconv.Itoa(alive - 1)})
		srv.close()
	}
	s.notes = append(s.notes, "Each Grant is a raft entry, and each lease that expires costs another (a revoke the "+
		"leader proposes, at most 1000 a second: defaultLeaseRevokeRate in etcd's server/lease/lessor.go); a "+
		"KeepAliveOnce is served by the leader without a raft entry. Every lease alive is held by every member "+
		"until it expires.")
	return s, nil
}
