// Package store is a generic typed wrapper over the etcd client.
package store

import (
	"context"
	"encoding/json"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Store keeps values of type T as JSON under keys.
type Store[T any] struct {
	cli *clientv3.Client
}

// New returns a Store over cli.
func New[T any](cli *clientv3.Client) *Store[T] { return &Store[T]{cli: cli} }

// Put writes v under key.
func (s *Store[T]) Put(key string, v T) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = s.cli.Put(context.Background(), key, string(b))
	return err
}

// Get reads key into a T.
func (s *Store[T]) Get(key string) (T, error) {
	var v T
	resp, err := s.cli.Get(context.Background(), key)
	if err != nil || len(resp.Kvs) == 0 {
		return v, err
	}
	err = json.Unmarshal(resp.Kvs[0].Value, &v)
	return v, err
}

// Map applies f to every element: a generic function that never touches etcd.
func Map[A, B any](xs []A, f func(A) B) []B {
	out := make([]B, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
