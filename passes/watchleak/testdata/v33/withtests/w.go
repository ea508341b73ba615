// Package withtests has leaks only in its tests.
package withtests

import (
	"context"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// Get reads a key with a client it closes.
func Get(endpoints []string, key string) (string, error) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints})
	if err != nil {
		return "", err
	}
	defer cli.Close()
	resp, err := cli.Get(context.TODO(), key)
	if err != nil || len(resp.Kvs) == 0 {
		return "", err
	}
	return string(resp.Kvs[0].Value), nil
}
