// Package etcdkv is the etcd backend of kvstore.Store.
package etcdkv

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"

	"example.com/kvstore"
)

// Backend writes kvstore keys to etcd.
type Backend struct {
	cli *clientv3.Client
}

// Register makes the backend available to kvstore.Open as "etcd".
func Register(cli *clientv3.Client) {
	kvstore.Register("etcd", func() kvstore.Store { return &Backend{cli: cli} })
}

// Put implements kvstore.Store.
func (b *Backend) Put(ctx context.Context, key string, value []byte) error { // want Put:`rewrites\("\{1\}"\) params\(1\)`
	_, err := b.cli.Put(ctx, key, string(value))
	return err
}
