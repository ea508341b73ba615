// Package wholeapp refreshes its caches through a probe.Prober; it imports
// no package that dials etcd (wholemain wires the prober in).
package wholeapp

import (
	"context"

	"example.com/fixture/probe"
)

// Refresh probes the backend once for each shard.
func Refresh(ctx context.Context, p probe.Prober, shards []int) int {
	ok := 0
	for range shards {
		if p.Probe(ctx) == nil {
			ok++
		}
	}
	return ok
}
