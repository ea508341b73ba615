// Package flagbound holds a loop of twenty writes, reported by default
// (see Warmup in package a) and not with -max-bound 32.
package flagbound

import (
	"context"
	"strconv"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Warmup writes the same key twenty times: under the bound, so it counts
// as a bounded number of writes per call.
func Warmup(ctx context.Context, cli *clientv3.Client) { // want Warmup:`rewrites\("/warmup/step"\) params\(\)`
	for i := 0; i < 20; i++ {
		cli.Put(ctx, "/warmup/step", strconv.Itoa(i))
	}
}
