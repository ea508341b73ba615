// Package app commits transactions through its own wrappers in package wrap.
package app

import (
	"context"

	"example.com/fixture/wrap"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Cleanup deletes keys through the store's Commit.
func Cleanup(ctx context.Context, s *wrap.Store, keys []string) error {
	return s.Commit(ctx, wrap.DeleteOps(keys)) // want `the list this call commits through Store.Commit grows with every element of keys \(built by wrap.DeleteOps\)`
}

// Apply writes a configuration map in one Txn.
func Apply(ctx context.Context, cli *clientv3.Client, s *wrap.Store, cfg map[string]string) error {
	ops := s.PutOps(cfg)
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `grows with every element of cfg \(built by Store.PutOps\)`
	return err
}

// Register writes names through the Builder interface.
func Register(ctx context.Context, cli *clientv3.Client, names []string) error {
	b := wrap.NewBuilder("/names/")
	_, err := cli.Txn(ctx).Then(b.Ops(names)...).Commit() // want `grows with every element of names \(built by Builder.Ops\)`
	return err
}

// Flush commits the queue.
func Flush(ctx context.Context, cli *clientv3.Client, q *wrap.Queue) error {
	_, err := cli.Txn(ctx).Then(q.Drain()...).Commit() // want `is built by Queue.Drain from a collection nothing bounds`
	return err
}

// Negatives.

// Reset deletes two fixed keys through the wrappers.
func Reset(ctx context.Context, s *wrap.Store) error {
	return s.Commit(ctx, wrap.DeleteOps([]string{"/a", "/b"}))
}

// CleanupChunked deletes keys through the chunking commit.
func CleanupChunked(ctx context.Context, s *wrap.Store, keys []string) error {
	return s.CommitChunked(ctx, wrap.DeleteOps(keys))
}

// One commits a single operation through the store.
func One(ctx context.Context, s *wrap.Store) error {
	return s.Commit(ctx, []clientv3.Op{clientv3.OpDelete("/a")})
}
