// Package testserver runs the etcd cluster the application's tests use.
// It exists for tests, so its heartbeat is test code: not checked unless
// -include-tests.
package testserver

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// KeepMarked rewrites the cluster's liveness mark for as long as a test runs.
func KeepMarked(ctx context.Context, cli *clientv3.Client) {
	for range time.Tick(time.Second) {
		cli.Put(ctx, "/testserver/alive", "1")
	}
}
