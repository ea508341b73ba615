// Package cluster is the gateway's view of etcd: callers hand it keys and
// values and never see clientv3.
package cluster

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Cluster stores the gateway's data.
type Cluster interface {
	// PutAndDelete writes every non-nil value and deletes the keys of the
	// nil ones, in one transaction.
	PutAndDelete(kvs map[string]*string) error
}

type etcdCluster struct {
	cli *clientv3.Client
}

// New returns the Cluster backed by cli.
func New(cli *clientv3.Client) Cluster { return &etcdCluster{cli: cli} }

func (c *etcdCluster) PutAndDelete(kvs map[string]*string) error {
	var ops []clientv3.Op
	for k, v := range kvs {
		if v != nil {
			ops = append(ops, clientv3.OpPut(k, *v))
		} else {
			ops = append(ops, clientv3.OpDelete(k))
		}
	}
	_, err := c.cli.Txn(context.Background()).Then(ops...).Commit()
	return err
}
