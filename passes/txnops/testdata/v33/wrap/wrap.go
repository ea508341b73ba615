// Package wrap is the application's own layer over etcd transactions.
package wrap

import (
	"context"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// DeleteOps returns one delete per key.
func DeleteOps(keys []string) []clientv3.Op { // want DeleteOps:`grows\(0\) from\(0\)`
	ops := make([]clientv3.Op, 0, len(keys))
	for _, k := range keys {
		ops = append(ops, clientv3.OpDelete(k))
	}
	return ops
}

// Store prefixes every key.
type Store struct {
	cli    *clientv3.Client
	prefix string
}

// NewStore returns a Store under prefix.
func NewStore(cli *clientv3.Client, prefix string) *Store { return &Store{cli: cli, prefix: prefix} }

// PutOps returns one put per entry, under the store's prefix.
func (s *Store) PutOps(kvs map[string]string) []clientv3.Op { // want PutOps:`grows\(0\) from\(0\)`
	var ops []clientv3.Op
	for k, v := range kvs {
		ops = append(ops, clientv3.OpPut(s.prefix+k, v))
	}
	return ops
}

// Commit commits ops as one Txn.
func (s *Store) Commit(ctx context.Context, ops []clientv3.Op) error { // want Commit:`commits\(1\)`
	_, err := s.cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// CommitChunked commits ops in Txns of at most 100.
func (s *Store) CommitChunked(ctx context.Context, ops []clientv3.Op) error {
	for i := 0; i < len(ops); i += 100 {
		if _, err := s.cli.Txn(ctx).Then(ops[i:min(i+100, len(ops))]...).Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Builder turns names into operations.
type Builder interface {
	Ops(names []string) []clientv3.Op // want Ops:`grows\(0\) from\(0\)`
}

type prefixBuilder struct{ prefix string }

// NewBuilder returns a Builder that puts names under prefix.
func NewBuilder(prefix string) Builder { return prefixBuilder{prefix: prefix} }

func (b prefixBuilder) Ops(names []string) []clientv3.Op { // want Ops:`grows\(0\) from\(0\)`
	var ops []clientv3.Op
	for _, n := range names {
		ops = append(ops, clientv3.OpPut(b.prefix+n, ""))
	}
	return ops
}

// Queue holds writes until Drain.
type Queue struct {
	pending map[string]string
}

// Drain returns the pending writes as operations.
func (q *Queue) Drain() []clientv3.Op { // want Drain:`grows\(0\)`
	var ops []clientv3.Op
	for k, v := range q.pending {
		ops = append(ops, clientv3.OpPut(k, v))
	}
	q.pending = map[string]string{}
	return ops
}

// PutEach puts every entry in one Txn: its callers decide whether that is
// too many.
func (s *Store) PutEach(ctx context.Context, kvs map[string]string) error { // want PutEach:`opsfrom\(1\)`
	ops := make([]clientv3.Op, 0, len(kvs))
	for k, v := range kvs {
		ops = append(ops, clientv3.OpPut(s.prefix+k, v))
	}
	_, err := s.cli.Txn(ctx).Then(ops...).Commit()
	return err
}
