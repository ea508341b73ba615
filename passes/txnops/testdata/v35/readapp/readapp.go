// Package readapp reads a snapshot of keys in one Txn through a
// reads.Planner.
package readapp

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/fixture/readimpl"
	"example.com/fixture/reads"
)

// Snapshot reads every key in one Txn.
func Snapshot(ctx context.Context, cli *clientv3.Client, p reads.Planner, keys []string) (*clientv3.TxnResponse, error) {
	return cli.Txn(ctx).Then(p.Reads(keys)...).Commit() // want `grows with every element of keys \(built by Planner.Reads\)`
}

// Pair reads two keys.
func Pair(ctx context.Context, cli *clientv3.Client, p reads.Planner) (*clientv3.TxnResponse, error) {
	return cli.Txn(ctx).Then(p.Reads([]string{"a", "b"})...).Commit()
}

// Default is the planner the application uses.
var Default reads.Planner = readimpl.Prefixed{Prefix: "/app/"}
