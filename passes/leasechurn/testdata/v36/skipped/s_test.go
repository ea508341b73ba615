//fixture:handwritten TestTestsSkipped runs the default (tests not checked) in v36 only; the other eras check withtests with -include-tests.

package skipped

import (
	"context"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestLeases(t *testing.T) {
	var cli *clientv3.Client
	if cli == nil {
		t.Skip("no cluster")
	}
	ctx := context.Background()
	for range time.Tick(time.Millisecond) {
		lease, err := cli.Grant(ctx, 5)
		if err != nil {
			t.Fatal(err)
		}
		cli.Put(ctx, "/t", "x", clientv3.WithLease(lease.ID))
	}
}
