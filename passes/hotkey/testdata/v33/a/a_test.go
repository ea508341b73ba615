package a

import (
	"context"
	"testing"
	"time"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// pound is a load generator for tests: not checked unless -include-tests.
func pound(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(time.Millisecond) {
		cli.Put(ctx, "/bench/key", "x")
	}
}

func BenchmarkPut(b *testing.B) {
	var cli *clientv3.Client
	for i := 0; i < b.N; i++ {
		cli.Put(context.Background(), "/bench/put", "x")
	}
	_ = pound
}
