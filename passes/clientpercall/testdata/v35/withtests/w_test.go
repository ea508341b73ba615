package withtests

import (
	"context"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestKeys(t *testing.T) {
	for _, k := range Keys() {
		cli, err := clientv3.New(Config) // want `a new etcd client is dialled on every iteration of this loop and never closed`
		if err != nil {
			t.Skip(err)
		}
		cli.Put(context.Background(), k, "")
	}
}
