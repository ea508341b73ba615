// Package testutil helps the application's tests; with -include-tests its
// loops are checked as a _test.go file's are.
package testutil

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Churn writes one key every 10ms to load the cluster under test.
func Churn(ctx context.Context, cli *clientv3.Client) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		cli.Put(ctx, "/testutil/churn", "x") // want `etcd key "/testutil/churn" is rewritten every 10ms by this loop`
	}
}
