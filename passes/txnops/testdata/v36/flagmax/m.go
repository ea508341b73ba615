// Package flagmax holds lists that -max changes the verdict on.
package flagmax

import (
	"context"
	"fmt"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Slots writes 200 keys.
func Slots(ctx context.Context, cli *clientv3.Client) error {
	var ops []clientv3.Op
	for i := 0; i < 200; i++ {
		ops = append(ops, clientv3.OpPut(fmt.Sprintf("/slots/%d", i), ""))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `holds 200 operations, but etcd rejects a txn whose If, Then or Else list holds more than 64 entries`
	return err
}

// Batches flushes at 100: within the default 128 (a.Flushed), reported
// with -max 64.
func Batches(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for _, k := range keys {
		ops = append(ops, clientv3.OpDelete(k))
		if len(ops) >= 100 {
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil { // want `cut into chunks of up to 100 operations, but etcd rejects a txn whose If, Then or Else list holds more than 64 entries`
				return err
			}
			ops = ops[:0]
		}
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `cut into chunks of up to 100 operations`
	return err
}
