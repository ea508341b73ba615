// Package app commits transactions through its own wrappers in package wrap.
package app

import (
	"context"

	"example.com/fixture/wrap"
	clientv3 "github.com/coreos/etcd/clientv3"
)

// Cleanup deletes keys through the store's Commit.
func Cleanup(ctx context.Context, s *wrap.Store, keys []string) error { // want Cleanup:`opsfrom\(2\)`
	return s.Commit(ctx, wrap.DeleteOps(keys)) // want `the list this call commits through Store.Commit grows with every element of keys \(built by wrap.DeleteOps\), and Service.Expire passes a collection that grows with every element of expired`
}

// Apply writes a configuration map in one Txn.
func Apply(ctx context.Context, cli *clientv3.Client, s *wrap.Store, cfg map[string]string) error { // want Apply:`opsfrom\(3\)`
	ops := s.PutOps(cfg)
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `grows with every element of cfg \(built by Store.PutOps\), and Service.Reload passes a collection that grows with every element of the result of Load\(\)`
	return err
}

// Register writes names through the Builder interface.
func Register(ctx context.Context, cli *clientv3.Client, names []string) error { // want Register:`opsfrom\(2\)`
	b := wrap.NewBuilder("/names/")
	_, err := cli.Txn(ctx).Then(b.Ops(names)...).Commit() // want `grows with every element of names \(built by Builder.Ops\), and Service.Start passes a collection that grows with every element of names`
	return err
}

// Flush commits the queue.
func Flush(ctx context.Context, cli *clientv3.Client, q *wrap.Queue) error {
	_, err := cli.Txn(ctx).Then(q.Drain()...).Commit() // want `is built by Queue.Drain from a collection nothing bounds`
	return err
}

// Service holds what the application registers.
type Service struct {
	cli     *clientv3.Client
	names   []string
	expired []string
	store   *wrap.Store
	loader  func() map[string]string
	last    map[string]string
	batch   int
}

// Start registers every name of the service.
func (s *Service) Start(ctx context.Context) error {
	return Register(ctx, s.cli, s.names)
}

// Expire removes the expired keys.
func (s *Service) Expire(ctx context.Context) error {
	return Cleanup(ctx, s.store, s.expired)
}

// Reload applies a loaded configuration.
func (s *Service) Reload(ctx context.Context) error {
	return Apply(ctx, s.cli, s.store, Load())
}

// Load reads a configuration of any size.
func Load() map[string]string { return map[string]string{} }

// Publish puts every entry of the service's table through the store's
// PutEach, in one Txn.
func (s *Service) Publish(ctx context.Context, table map[string]string) error { // want Publish:`opsfrom\(1\)`
	return s.store.PutEach(ctx, table)
}

// PublishAll publishes the loaded table.
func (s *Service) PublishAll(ctx context.Context) error {
	return s.store.PutEach(ctx, Load()) // want `this call passes a collection that grows with every element of the result of Load\(\) to Store.PutEach, which commits one Txn with an entry per element`
}

// Prune removes, in one Txn, every entry of the last table that the new
// one lacks: as many as the last table holds.
func (s *Service) Prune(ctx context.Context, table map[string]string) error {
	gone := map[string]string{}
	for k, v := range s.last {
		if _, ok := table[k]; !ok {
			gone[k] = v
		}
	}
	return s.store.PutEach(ctx, gone) // want `this call passes a collection that grows with every element of last \(through a map filled from it\) to Store.PutEach`
}

// Negatives.

// PublishBatched publishes the loaded table in batches of a configured
// size.
func (s *Service) PublishBatched(ctx context.Context) error {
	page := map[string]string{}
	for k, v := range Load() {
		page[k] = v
		if len(page) >= s.batch {
			if err := s.store.PutEach(ctx, page); err != nil {
				return err
			}
			page = map[string]string{}
		}
	}
	return s.store.PutEach(ctx, page)
}

// PublishPage publishes at most 100 entries at a time through PutEach.
func (s *Service) PublishPage(ctx context.Context, table map[string]string) error {
	page := make(map[string]string, 100)
	for k, v := range table {
		page[k] = v
		if len(page) == 100 {
			if err := s.store.PutEach(ctx, page); err != nil {
				return err
			}
			page = make(map[string]string, 100)
		}
	}
	return s.store.PutEach(ctx, page)
}

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
