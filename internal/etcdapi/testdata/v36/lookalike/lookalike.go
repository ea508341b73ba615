// Package lookalike declares types with etcd's names that are not etcd.
package lookalike

import "context"

type KV interface {
	Put(ctx context.Context, key, val string) error
}

type Client struct{ KV }

func (c *Client) Close() error { return nil }

func New() (*Client, error) { return &Client{}, nil }

type PutRequest struct{ Key, Value []byte }
