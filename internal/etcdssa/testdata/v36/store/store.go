package store // want package:"reaches etcd"

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

type Store interface {
	Put(key, val string) error // want Put:"touches etcd"
	Name() string
}

type etcdStore struct{ cli *clientv3.Client }

func (s *etcdStore) Put(key, val string) error { // want Put:"touches etcd"
	_, err := s.cli.Put(context.Background(), key, val)
	return err
}

func (s *etcdStore) Name() string { return "etcd" }

func New(cli *clientv3.Client) Store { return &etcdStore{cli} } // want New:"touches etcd"

func helper(s *etcdStore) error { return s.Put("k", "v") } // want helper:"touches etcd"

func pure(a int) int { return a + 1 }
