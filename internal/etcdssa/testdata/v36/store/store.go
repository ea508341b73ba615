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
	_, err := s.cli.Put(context.Background(), format(key), val)
	return err
}

func (s *etcdStore) Name() string { return "etcd" }

func New(cli *clientv3.Client) Store { return &etcdStore{cli} } // want New:"touches etcd"

func helper(s *etcdStore) error { return s.Put("k", "v") } // want helper:"touches etcd"

func pure(a int) int { return a + 1 }

// format does not touch etcd, but Put calls it.
func format(key string) string { return "/" + key }

// defaultKey's initialiser calls prefix.
var defaultKey = prefix("default")

func prefix(k string) string { return "/app/" + k }

var ready bool

func init() { ready = defaultKey != "" }
