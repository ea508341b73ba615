package a

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Fine is well formed, in a package whose other file is not.
func Fine(cli *clientv3.Client) {
	for {
		cli.Put(context.Background(), "/fine", "alive")
		time.Sleep(time.Second)
	}
}
