package helpers

import (
	"context"
	"errors"
	"log"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// writeChanged commits every changed key with a guard on its revision,
// one compare and one op per key: right for a batch, wrong for all.
func writeChanged(ctx context.Context, kv clientv3.KV, changed map[string]string, revs map[string]int64) error { // want writeChanged:`opsfrom\(2\)`
	var ifs []clientv3.Cmp
	var thens []clientv3.Op
	for k, v := range changed {
		ifs = append(ifs, clientv3.Compare(clientv3.ModRevision(k), "=", revs[k]))
		thens = append(thens, clientv3.OpPut(k, v))
	}
	_, err := kv.Txn(ctx).If(ifs...).Then(thens...).Commit() // want `the If list of this Txn grows with every element of changed, and FlushBySize passes a collection that grows with every element of the result of bySize\(\)` `the Then list`
	return err
}

const perTxn = 100

// takeBatch merges whole groups into one batch and stops before the
// batch would reach perTxn keys; it says how many groups it took.
func takeBatch(groups []map[string]string) (map[string]string, int, error) {
	batch := make(map[string]string)
	taken := 0
	for _, g := range groups {
		if len(g) >= perTxn {
			return nil, 0, errors.New("group too large for one transaction")
		}
		if len(batch)+len(g) >= perTxn {
			break
		}
		for k, v := range g {
			batch[k] = v
		}
		taken++
	}
	return batch, taken, nil
}

// FlushGroups commits the groups batch by batch.
func FlushGroups(ctx context.Context, kv clientv3.KV, groups []map[string]string, revs map[string]int64) error {
	for len(groups) > 0 {
		batch, n, err := takeBatch(groups)
		if err != nil {
			return err
		}
		if err := writeChanged(ctx, kv, batch, revs); err != nil {
			return err
		}
		groups = groups[n:]
	}
	return nil
}

// firstKeys copies entries one by one while fewer than 50 are copied.
func firstKeys(src map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range src {
		if len(out) == 50 {
			return out
		}
		out[k] = v
	}
	return out
}

// FlushSome commits up to 50 changed keys in the background.
func FlushSome(ctx context.Context, kv clientv3.KV, changed map[string]string, revs map[string]int64) {
	go func() {
		if err := writeChanged(ctx, kv, firstKeys(changed), revs); err != nil {
			log.Print(err)
		}
	}()
}

// bySize caps a batch by bytes only: nothing bounds how many keys it
// holds.
func bySize(groups []map[string]string) map[string]string {
	batch := map[string]string{}
	size := 0
	for _, g := range groups {
		for k, v := range g {
			if size+len(k)+len(v) > 1<<20 {
				return batch
			}
			batch[k] = v
			size += len(k) + len(v)
		}
	}
	return batch
}

// FlushBySize commits a batch bounded only by its size.
func FlushBySize(ctx context.Context, kv clientv3.KV, groups []map[string]string, revs map[string]int64) error {
	return writeChanged(ctx, kv, bySize(groups), revs)
}

// tooWide stops at 1000 keys, above etcd's default of 128 operations.
func tooWide(src map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range src {
		if len(out) >= 1000 {
			break
		}
		out[k] = v
	}
	return out
}

// FlushWide deletes a batch of up to 1000 keys in one Txn.
func FlushWide(ctx context.Context, kv clientv3.KV, changed map[string]string) error {
	var dels []clientv3.Op
	for k := range tooWide(changed) {
		dels = append(dels, clientv3.OpDelete(k))
	}
	_, err := kv.Txn(ctx).Then(dels...).Commit() // want `1000`
	return err
}
