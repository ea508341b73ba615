// Package a imports a module that is in no go.mod and no module cache.
package a

import (
	"context"
	"time"

	"example.org/missing/kv"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func Alive(cli *clientv3.Client, node string) error {
	for {
		if _, err := cli.Put(context.Background(), kv.Key(node), "alive"); err != nil {
			return err
		}
		time.Sleep(10 * time.Second)
	}
}
