// Package store is the gateway's own view of etcd: the rest of the program
// never calls clientv3 directly.
package store

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Store writes and watches keys.
type Store interface {
	Put(key, value string) error
	Watch(prefix string) clientv3.WatchChan
}

type etcdStore struct {
	cli    *clientv3.Client
	prefix string
}

// New returns a Store that writes under prefix.
func New(cli *clientv3.Client, prefix string) Store {
	return &etcdStore{cli: cli, prefix: prefix}
}

func (s *etcdStore) Put(key, value string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := s.cli.Put(ctx, s.prefix+key, value)
	return err
}

func (s *etcdStore) Watch(prefix string) clientv3.WatchChan {
	return s.cli.Watch(context.Background(), s.prefix+prefix, clientv3.WithPrefix())
}
