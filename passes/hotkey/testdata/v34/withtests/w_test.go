package withtests

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// pound is reported only with -include-tests.
func pound(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(time.Millisecond) {
		cli.Put(ctx, "/load/key", "x") // want `etcd key "/load/key" is rewritten every 1ms by this loop`
	}
}

var _ = pound
