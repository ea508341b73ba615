// Package wholemain wires wholeimpl's prober into wholeapp.
package wholemain

import (
	"context"

	clientv3 "go.etcd.io/etcd/clientv3"

	"example.com/fixture/wholeapp"
	"example.com/fixture/wholeimpl"
)

// Main refreshes sixteen shards.
func Main(ctx context.Context, endpoints []string) int {
	p := &wholeimpl.Lister{Config: clientv3.Config{Endpoints: endpoints}, Prefix: "/shards/"}
	return wholeapp.Refresh(ctx, p, make([]int, 16))
}
