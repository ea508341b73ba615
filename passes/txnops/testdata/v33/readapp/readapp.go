// Package readapp reads a snapshot of keys in one Txn through a
// reads.Planner.
package readapp

import (
	"context"

	clientv3 "github.com/coreos/etcd/clientv3"

	"example.com/fixture/readimpl"
	"example.com/fixture/reads"
)

// Snapshot reads keys in one Txn: right for a few, wrong for all keys.
func Snapshot(ctx context.Context, cli *clientv3.Client, p reads.Planner, keys []string) (*clientv3.TxnResponse, error) { // want Snapshot:`opsfrom\(3\)`
	return cli.Txn(ctx).Then(p.Reads(keys)...).Commit() // want `grows with every element of keys \(built by Planner.Reads\), and SnapshotAll passes a collection that grows with every element of Kvs`
}

// SnapshotAll reads every key under prefix in one Txn.
func SnapshotAll(ctx context.Context, cli *clientv3.Client, p reads.Planner, prefix string) (*clientv3.TxnResponse, error) {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
	}
	return Snapshot(ctx, cli, p, keys)
}

// Pair reads two keys.
func Pair(ctx context.Context, cli *clientv3.Client, p reads.Planner) (*clientv3.TxnResponse, error) {
	return cli.Txn(ctx).Then(p.Reads([]string{"a", "b"})...).Commit()
}

// Default is the planner the application uses.
var Default reads.Planner = readimpl.Prefixed{Prefix: "/app/"}
