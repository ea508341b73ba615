// Package store is the application's own layer over etcd.
package store

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Store writes under a prefix.
type Store struct {
	cli    *clientv3.Client
	prefix string
}

// New returns a Store writing under prefix.
func New(cli *clientv3.Client, prefix string) *Store {
	return &Store{cli: cli, prefix: prefix}
}

// Put writes val at the store's prefix + key.
func (s *Store) Put(ctx context.Context, key, val string) error {
	_, err := s.cli.Put(ctx, s.prefix+key, val)
	return err
}
