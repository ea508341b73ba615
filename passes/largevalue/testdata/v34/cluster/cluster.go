// Package cluster is the application's own layer over etcd.
package cluster

import (
	"context"
	"encoding/json"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Cluster is what the rest of the application sees.
type Cluster interface {
	PutUnderLease(key, value string) error         // want PutUnderLease:`carries whole\(1\)`
	PutAllUnderLease(kvs map[string]*string) error // want PutAllUnderLease:`^carries elems\(0\) batch\(0\)$`
}

type cluster struct {
	cli   *clientv3.Client
	lease clientv3.LeaseID
}

func New(cli *clientv3.Client) Cluster { return &cluster{cli: cli} }

func (c *cluster) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Second)
}

func (c *cluster) PutUnderLease(key, value string) error { // want PutUnderLease:`carries whole\(1\)`
	ctx, cancel := c.ctx()
	defer cancel()
	_, err := c.cli.Put(ctx, key, value, clientv3.WithLease(c.lease))
	return err
}

// PutAllUnderLease writes every key in one transaction; nil deletes.
func (c *cluster) PutAllUnderLease(kvs map[string]*string) error { // want PutAllUnderLease:`^carries elems\(0\) batch\(0\)$`
	ctx, cancel := c.ctx()
	defer cancel()
	var ops []clientv3.Op
	for k, v := range kvs {
		if v == nil {
			ops = append(ops, clientv3.OpDelete(k))
			continue
		}
		ops = append(ops, clientv3.OpPut(k, *v, clientv3.WithLease(c.lease)))
	}
	_, err := c.cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// Store saves objects as JSON.
type Store struct {
	KV clientv3.KV
}

func (s *Store) Save(ctx context.Context, key string, obj any) error { // want Save:`carries whole\(2\)`
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	_, err = s.KV.Put(ctx, key, string(b))
	return err
}
