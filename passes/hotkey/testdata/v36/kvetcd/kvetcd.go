// Package kvetcd is the etcd-backed kvlib.Store.
package kvetcd

import (
	"context"
	"errors"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Store keeps kvlib keys in etcd.
type Store struct {
	cli     *clientv3.Client
	retries int
}

// New returns a Store writing through cli.
func New(cli *clientv3.Client) *Store { return &Store{cli: cli, retries: 10} }

// Update is a read-modify-write: the version compare only detects a
// concurrent writer, so every call that meets none writes the key.
func (s *Store) Update(ctx context.Context, key string, fn func(old []byte) ([]byte, error)) error { // want Update:`rewrites\("\{1\}"\) params\(1\)`
	for i := 0; i < s.retries; i++ {
		resp, err := s.cli.Get(ctx, key)
		if err != nil {
			return err
		}
		var old []byte
		var version int64
		if len(resp.Kvs) > 0 {
			old, version = resp.Kvs[0].Value, resp.Kvs[0].Version
		}
		val, err := fn(old)
		if err != nil {
			return err
		}
		txn, err := s.cli.Txn(ctx).
			If(clientv3.Compare(clientv3.Version(key), "=", version)).
			Then(clientv3.OpPut(key, string(val))).
			Commit()
		if err != nil {
			continue
		}
		if txn.Succeeded {
			return nil
		}
	}
	return errors.New("kvetcd: too many conflicts")
}

// Set writes through a Txn with no compare: a write on every call.
func (s *Store) Set(ctx context.Context, key string, val []byte) error { // want Set:`rewrites\("\{1\}"\) params\(1\)`
	ops := []clientv3.Op{clientv3.OpPut(key, string(val))}
	_, err := s.cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// SetIfChanged writes only when etcd holds another value: no fact.
func (s *Store) SetIfChanged(ctx context.Context, key string, val []byte) error {
	_, err := s.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.Value(key), "!=", string(val))).
		Then(clientv3.OpPut(key, string(val))).
		Commit()
	return err
}

// Create writes the key only when it does not exist yet: no fact.
func (s *Store) Create(ctx context.Context, key string, val []byte) (bool, error) {
	resp, err := s.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
		Then(clientv3.OpPut(key, string(val))).
		Commit()
	if err != nil {
		return false, err
	}
	return resp.Succeeded, nil
}
