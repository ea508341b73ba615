// Package a builds etcd transactions directly with the client.
package a

import (
	"context"
	"fmt"
	"math"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// DeleteAll removes every key in one Txn: fine for ten keys, rejected
// past 128.
func DeleteAll(ctx context.Context, cli *clientv3.Client, keys []string) error { // want DeleteAll:`opsfrom\(2\)`
	var ops []clientv3.Op
	for _, k := range keys {
		ops = append(ops, clientv3.OpDelete(k))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn grows with every element of keys, and Purge passes a collection that grows with every element of Kvs, but etcd rejects a txn whose If, Then or Else list holds more than 128 entries`
	return err
}

// CreateAll creates keys that must not exist yet: one comparison and one
// put per key.
func CreateAll(ctx context.Context, cli *clientv3.Client, keys []string) error { // want CreateAll:`opsfrom\(2\)`
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for _, k := range keys {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
		ops = append(ops, clientv3.OpPut(k, ""))
	}
	_, err := cli.Txn(ctx).If(cmps...).Then(ops...).Commit() // want `the If list of this Txn grows with every element of keys` `the Then list of this Txn grows with every element of keys`
	return err
}

// MoveAll moves a prefix: two operations per key found.
func MoveAll(ctx context.Context, cli *clientv3.Client, from, to string) error {
	resp, err := cli.Get(ctx, from, clientv3.WithPrefix())
	if err != nil {
		return err
	}
	var ops []clientv3.Op
	for _, kv := range resp.Kvs {
		ops = append(ops, clientv3.OpPut(to+string(kv.Key[len(from):]), string(kv.Value)), clientv3.OpDelete(string(kv.Key)))
	}
	_, err = cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn grows with every element of Kvs`
	return err
}

// PutIndexed sizes the list by the input and fills it by index.
func PutIndexed(ctx context.Context, cli *clientv3.Client, names []string) error { // want PutIndexed:`opsfrom\(2\)`
	ops := make([]clientv3.Op, len(names))
	for i, n := range names {
		ops[i] = clientv3.OpPut("/names/"+n, "")
	}
	_, err := cli.Do(ctx, clientv3.OpTxn(nil, ops, nil)) // want `the Then list of this OpTxn grows with every element of names`
	return err
}

// Purge deletes every key under prefix: the keys come from a Get
// response, which nothing bounds.
func Purge(ctx context.Context, cli *clientv3.Client, prefix string) error {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return err
	}
	var keys []string
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
	}
	return DeleteAll(ctx, cli, keys)
}

// Seed holds the keys to create and the names to index.
type Seed struct {
	Keys  []string
	Names string
}

// Plant creates the seed's keys and indexes its names.
func Plant(ctx context.Context, cli *clientv3.Client, s *Seed) error {
	if err := CreateAll(ctx, cli, s.Keys); err != nil {
		return err
	}
	return PutIndexed(ctx, cli, strings.Fields(s.Names))
}

// Registry publishes its services.
type Registry struct {
	cli      *clientv3.Client
	services map[string]string
}

// Publish writes every service in one Txn, guarded on a version key.
func (r *Registry) Publish(ctx context.Context, version int64) error {
	var ops []clientv3.Op
	for name, addr := range r.services {
		ops = append(ops, clientv3.OpPut("/services/"+name, addr))
	}
	_, err := r.cli.Txn(ctx).
		If(clientv3.Compare(clientv3.Version("/services"), "=", version)).
		Else(ops...). // want `the Else list of this Txn grows with every element of services`
		Commit()
	return err
}

// Collect commits whatever arrives on ch in one Txn.
func Collect(ctx context.Context, cli *clientv3.Client, ch <-chan string) error {
	var ops []clientv3.Op
	for k := range ch {
		ops = append(ops, clientv3.OpDelete(k))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `grows with every element of the values received from ch`
	return err
}

// Slots writes 200 keys: a constant count above the limit.
func Slots(ctx context.Context, cli *clientv3.Client) error {
	var ops []clientv3.Op
	for i := 0; i < 200; i++ {
		ops = append(ops, clientv3.OpPut(fmt.Sprintf("/slots/%d", i), ""))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn holds 200 operations`
	return err
}

// BigChunks chunks, but at 500.
func BigChunks(ctx context.Context, cli *clientv3.Client, ops []clientv3.Op) error {
	for i := 0; i < len(ops); i += 500 {
		if _, err := cli.Txn(ctx).Then(ops[i:min(i+500, len(ops))]...).Commit(); err != nil { // want `the Then list of this Txn is cut into chunks of up to 500 operations`
			return err
		}
	}
	return nil
}

// Negatives.

// batchSize is the chunk size; assigned once.
var batchSize = 128

// Chunked commits in windows of 100.
func Chunked(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for _, k := range keys {
		ops = append(ops, clientv3.OpDelete(k))
	}
	for i := 0; i < len(ops); i += 100 {
		if _, err := cli.Txn(ctx).Then(ops[i:min(i+100, len(ops))]...).Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Clamped clamps the end of each window.
func Clamped(ctx context.Context, cli *clientv3.Client, ops []clientv3.Op) error {
	for i := 0; i < len(ops); i += batchSize {
		end := i + batchSize
		if end > len(ops) {
			end = len(ops)
		}
		if _, err := cli.Txn(ctx).Then(ops[i:end]...).Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Numbered computes each window from a batch number.
func Numbered(ctx context.Context, cli *clientv3.Client, ops []clientv3.Op) error {
	for batch := 0; batch*batchSize < len(ops); batch++ {
		chunk := ops[batch*batchSize : int(math.Min(float64((batch+1)*batchSize), float64(len(ops))))]
		if _, err := cli.Txn(ctx).Then(chunk...).Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Flushed commits every 100 keys, each chunk with its own comparisons.
func Flushed(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for _, k := range keys {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
		ops = append(ops, clientv3.OpPut(k, ""))
		if len(ops) >= 100 {
			if _, err := cli.Txn(ctx).If(cmps...).Then(ops...).Commit(); err != nil {
				return err
			}
			cmps, ops = cmps[:0], ops[:0]
		}
	}
	if len(ops) > 0 {
		_, err := cli.Txn(ctx).If(cmps...).Then(ops...).Commit()
		return err
	}
	return nil
}

// FlushFirst flushes before appending, resetting to nil.
func FlushFirst(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for _, k := range keys {
		if len(ops) == 64 {
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil {
				return err
			}
			ops = nil
		}
		ops = append(ops, clientv3.OpDelete(k))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// ByteBudget flushes on a size budget the pass cannot measure.
func ByteBudget(ctx context.Context, cli *clientv3.Client, kvs map[string]string) error {
	var ops []clientv3.Op
	size := 0
	for k, v := range kvs {
		if size+len(k)+len(v) > 1<<20 {
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil {
				return err
			}
			ops, size = nil, 0
		}
		ops = append(ops, clientv3.OpPut(k, v))
		size += len(k) + len(v)
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// Pair writes two keys together.
func Pair(ctx context.Context, cli *clientv3.Client, a, b string) error {
	_, err := cli.Txn(ctx).
		If(clientv3.Compare(clientv3.ModRevision(a), "=", 0)).
		Then(clientv3.OpPut(a, "1"), clientv3.OpPut(b, "1")).
		Else(clientv3.OpGet(a)).
		Commit()
	return err
}

// Replicas appends a constant number of operations.
func Replicas(ctx context.Context, cli *clientv3.Client, name string) error {
	var ops []clientv3.Op
	for i := 0; i < 3; i++ {
		ops = append(ops, clientv3.OpPut(fmt.Sprintf("/replicas/%s/%d", name, i), ""))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// Defaults ranges over a fixed list.
func Defaults(ctx context.Context, cli *clientv3.Client) error {
	var ops []clientv3.Op
	for _, k := range []string{"/config/a", "/config/b", "/config/c"} {
		ops = append(ops, clientv3.OpPut(k, "default"))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// kindPrefixes lists one prefix per kind of object the store keeps: a
// constant number, whichever are enabled.
func kindPrefixes(enabled func(int) bool) []string {
	var out []string
	for i := 0; i < 8; i++ {
		if enabled(i) {
			out = append(out, fmt.Sprintf("/kinds/%d/", i))
		}
	}
	return out
}

// DropGroup deletes a group under every kind's prefix: at most 8 deletes.
func DropGroup(ctx context.Context, cli *clientv3.Client, group string, enabled func(int) bool) error {
	var ops []clientv3.Op
	for _, p := range kindPrefixes(enabled) {
		ops = append(ops, clientv3.OpDelete(p+group, clientv3.WithPrefix()))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// manyPrefixes returns 200 prefixes.
func manyPrefixes() []string {
	var out []string
	for i := range 200 {
		out = append(out, fmt.Sprintf("/shards/%d/", i))
	}
	return out
}

// DropShards deletes a group under 200 prefixes in one Txn.
func DropShards(ctx context.Context, cli *clientv3.Client, group string) error {
	var ops []clientv3.Op
	for _, p := range manyPrefixes() {
		ops = append(ops, clientv3.OpDelete(p+group, clientv3.WithPrefix()))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn holds 200 operations`
	return err
}

// FirstPage takes at most 100 keys.
func FirstPage(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for _, k := range keys[:min(len(keys), 100)] {
		ops = append(ops, clientv3.OpDelete(k))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// OnePerKey commits one small Txn per key.
func OnePerKey(ctx context.Context, cli *clientv3.Client, keys []string) error {
	for _, k := range keys {
		_, err := cli.Txn(ctx).
			If(clientv3.Compare(clientv3.CreateRevision(k), "=", 0)).
			Then(clientv3.OpPut(k, "")).
			Commit()
		if err != nil {
			return err
		}
	}
	return nil
}

// Counted loops up to a number the pass cannot bound; not reported.
func Counted(ctx context.Context, cli *clientv3.Client, n int) error {
	var ops []clientv3.Op
	for i := 0; i < n; i++ {
		ops = append(ops, clientv3.OpPut(fmt.Sprintf("/n/%d", i), ""))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// Pipeline is the application's own type with a Then method.
type Pipeline struct{ steps []string }

// Then appends steps.
func (p *Pipeline) Then(steps ...string) *Pipeline {
	p.steps = append(p.steps, steps...)
	return p
}

// Plan builds a pipeline from every key: not an etcd Txn.
func Plan(cli *clientv3.Client, keys []string) *Pipeline {
	var steps []string
	for _, k := range keys {
		steps = append(steps, k)
	}
	_ = cli
	return new(Pipeline).Then(steps...)
}

// bigBatch is assigned once, so it is read as the constant 500.
var bigBatch = 500

// GlobalChunks chunks at bigBatch.
func GlobalChunks(ctx context.Context, cli *clientv3.Client, ops []clientv3.Op) error {
	for i := 0; i < len(ops); i += bigBatch {
		if _, err := cli.Txn(ctx).Then(ops[i:min(i+bigBatch, len(ops))]...).Commit(); err != nil { // want `the Then list of this Txn is cut into chunks of up to 500 operations`
			return err
		}
	}
	return nil
}

// tunedBatch starts at 500 but SetTunedBatch, which does not touch etcd,
// may change it: it is not a constant.
var tunedBatch = 500

func SetTunedBatch(n int) { tunedBatch = n }

// TunedChunks chunks at tunedBatch.
func TunedChunks(ctx context.Context, cli *clientv3.Client, ops []clientv3.Op) error {
	for i := 0; i < len(ops); i += tunedBatch {
		if _, err := cli.Txn(ctx).Then(ops[i:min(i+tunedBatch, len(ops))]...).Commit(); err != nil {
			return err
		}
	}
	return nil
}
