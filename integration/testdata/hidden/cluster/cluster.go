// Package cluster keeps its etcd client behind an interface: the type that
// writes is unexported, and no other package's API names it.
package cluster

import (
	"context"
	"errors"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Cluster is all the rest of the application sees of etcd.
type Cluster interface {
	// PublishAll writes every entry of kvs.
	PublishAll(kvs map[string]string) error
	// Prefix is where the application's keys live.
	Prefix() string
}

type etcdCluster struct {
	cli    *clientv3.Client
	prefix string
}

// Open connects to etcd at endpoints.
func Open(endpoints []string, prefix string) (Cluster, error) {
	if len(endpoints) == 0 {
		return nil, errors.New("cluster: no endpoints")
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return nil, err
	}
	for _, ep := range endpoints {
		if ep == "" {
			cli.Close()
			return nil, errors.New("cluster: empty endpoint")
		}
	}
	return &etcdCluster{cli: cli, prefix: prefix}, nil
}

func (c *etcdCluster) Prefix() string { return c.prefix }

func (c *etcdCluster) PublishAll(kvs map[string]string) error {
	ops := make([]clientv3.Op, 0, len(kvs))
	for k, v := range kvs {
		ops = append(ops, clientv3.OpPut(k, v))
	}
	_, err := c.cli.Txn(context.Background()).Then(ops...).Commit()
	return err
}
