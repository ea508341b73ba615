// Package etcdnotify announces values by writing them to etcd.
package etcdnotify

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/clientv3"
)

// Client is the etcd-backed notify.Announcer.
type Client struct {
	cli *clientv3.Client
}

// New returns an Announcer writing through cli.
func New(cli *clientv3.Client) *Client { return &Client{cli: cli} }

// Announce writes value under name.
func (c *Client) Announce(name, value string) error { // want Announce:`rewrites\("\{0\}"\) params\(0\)`
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.cli.Put(ctx, name, value)
	return err
}
