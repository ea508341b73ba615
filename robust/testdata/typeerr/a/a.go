// Package a calls etcd with arguments of the wrong types and an undefined name.
package a

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func Alive(cli *clientv3.Client, node string) error {
	for {
		if _, err := cli.Put(context.Background(), "/nodes/"+node, 42); err != nil {
			return err
		}
		cli.Delete(undefinedCtx, node)
		time.Sleep(10 * time.Second)
	}
}

func Broken(cli *clientv3.Client) {
	var n int = "not a number"
	cli.Txn(context.Background()).Then(clientv3.OpPut("/k", n)).Commit()
}
