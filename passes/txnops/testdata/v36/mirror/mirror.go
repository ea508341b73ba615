// Package mirror holds lists that mirror a request etcd already bounds,
// lists flushed at a configured or constant size, and lists counted one
// by one (If, Then, Else).
package mirror

import (
	"context"
	"flag"
	"fmt"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Forward turns a TxnRequest received from a client into an OpTxn, one
// entry per entry of the request: as long as the request, which etcd holds
// to the limit.
func Forward(ctx context.Context, cli *clientv3.Client, r *pb.TxnRequest) (*clientv3.TxnResponse, error) {
	cmps := make([]clientv3.Cmp, len(r.Compare))
	for i, c := range r.Compare {
		cmps[i] = clientv3.Cmp(*c)
	}
	var then []clientv3.Op
	for _, u := range r.Success {
		if put := u.GetRequestPut(); put != nil {
			then = append(then, clientv3.OpPut(string(put.Key), string(put.Value)))
		}
	}
	elses := make([]clientv3.Op, 0, len(r.Failure))
	for range r.Failure {
		elses = append(elses, clientv3.OpGet("/fallback"))
	}
	resp, err := cli.Do(ctx, clientv3.OpTxn(cmps, then, elses))
	if err != nil {
		return nil, err
	}
	return resp.Txn(), nil
}

// GuardedTxn is a Txn whose puts are each guarded by a comparison on a
// lock key: its lists mirror the lists its user built.
type GuardedTxn struct {
	kv       clientv3.KV
	ctx      context.Context
	then     []clientv3.Op
	registry map[string]string
}

// Then records the user's operations.
func (t *GuardedTxn) Then(ops ...clientv3.Op) *GuardedTxn {
	t.then = append(t.then, ops...)
	return t
}

func guards(ops []clientv3.Op) []clientv3.Cmp { // want guards:`grows\(0\) from\(0\)`
	var cmps []clientv3.Cmp
	for _, op := range ops {
		if op.IsPut() {
			cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision("/locks/"+string(op.KeyBytes())), "=", 0))
		}
	}
	return cmps
}

// Commit guards the user's operations and commits them.
func (t *GuardedTxn) Commit() (*clientv3.TxnResponse, error) {
	return t.kv.Txn(t.ctx).If(guards(t.then)...).Then(t.then...).Commit()
}

// GuardAll guards one operation per key of a map: the source list itself
// grows with the map, so the guards do too.
func GuardAll(ctx context.Context, kv clientv3.KV, entries map[string]string) error { // want GuardAll:`opsfrom\(2\)`
	var ops []clientv3.Op
	for k, v := range entries {
		ops = append(ops, clientv3.OpPut(k, v))
	}
	_, err := kv.Txn(ctx).If(guards(ops)...).Commit() // want `the If list of this Txn grows with every element of entries \(built by mirror.guards\), and GuardedTxn.PublishRegistry passes a collection that grows with every element of registry`
	return err
}

// PublishRegistry hands a field to GuardAll.
func (t *GuardedTxn) PublishRegistry() error {
	return GuardAll(t.ctx, t.kv, t.registry)
}

// maxTxnOps is set by a command-line flag whose default is the server's.
var maxTxnOps uint

// wideTxn is set by a flag whose default is above the server's limit.
var wideTxn int

func init() {
	flag.UintVar(&maxTxnOps, "max-txn-ops", 128, "operations per txn")
	flag.IntVar(&wideTxn, "wide-txn", 1000, "operations per txn")
}

// Copy writes every event to the destination, flushing whenever the
// batch reaches the configured size.
func Copy(ctx context.Context, dst *clientv3.Client, events []*clientv3.Event) error {
	var ops []clientv3.Op
	for _, ev := range events {
		if len(ops) == int(maxTxnOps) {
			if _, err := dst.Txn(ctx).Then(ops...).Commit(); err != nil {
				return err
			}
			ops = []clientv3.Op{}
		}
		ops = append(ops, clientv3.OpPut(string(ev.Kv.Key), string(ev.Kv.Value)))
	}
	if len(ops) > 0 {
		_, err := dst.Txn(ctx).Then(ops...).Commit()
		return err
	}
	return nil
}

// CopyWide flushes at a configured size whose default is 1000.
func CopyWide(ctx context.Context, dst *clientv3.Client, events []*clientv3.Event) error {
	var ops []clientv3.Op
	for _, ev := range events {
		ops = append(ops, clientv3.OpDelete(string(ev.Kv.Key)))
		if len(ops) >= wideTxn {
			if _, err := dst.Txn(ctx).Then(ops...).Commit(); err != nil { // want `the Then list of this Txn is cut into chunks of up to 1000 operations`
				return err
			}
			ops = ops[:0]
		}
	}
	return nil
}

// Every500 flushes whenever it holds 500 operations.
func Every500(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for _, k := range keys {
		ops = append(ops, clientv3.OpDelete(k))
		if len(ops) == 500 {
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil { // want `the Then list of this Txn is cut into chunks of up to 500 operations`
				return err
			}
			ops = nil
		}
	}
	return nil
}

// batch is a package variable initialised to a constant above the limit.
var batch = 256

// EveryBatch flushes on every batch-th key.
func EveryBatch(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for i, k := range keys {
		ops = append(ops, clientv3.OpPut(k, fmt.Sprint(i)))
		if (i+1)%batch == 0 {
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil { // want `the Then list of this Txn is cut into chunks of up to 256 operations`
				return err
			}
			ops = ops[:0]
		}
	}
	return nil
}

// Every100 flushes on every 100th key.
func Every100(ctx context.Context, cli *clientv3.Client, keys []string) error {
	var ops []clientv3.Op
	for i, k := range keys {
		ops = append(ops, clientv3.OpPut(k, ""))
		if i%100 == 99 {
			if _, err := cli.Txn(ctx).Then(ops...).Commit(); err != nil {
				return err
			}
			ops = nil
		}
	}
	return nil
}

// CreateChunked chunks the puts, but attaches the comparisons of every key
// to every chunk: the If list is counted on its own and grows with keys.
func CreateChunked(ctx context.Context, cli *clientv3.Client, prefix string) error {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return err
	}
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for _, kv := range resp.Kvs {
		k := string(kv.Key)
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
		ops = append(ops, clientv3.OpPut(k, ""))
	}
	for i := 0; i < len(ops); i += 100 {
		if _, err := cli.Txn(ctx).If(cmps...).Then(ops[i:min(i+100, len(ops))]...).Commit(); err != nil { // want `the If list of this Txn grows with every element of Kvs`
			return err
		}
	}
	return nil
}

// FlushThenOnly flushes its puts at 100 but never resets its comparisons.
func FlushThenOnly(ctx context.Context, cli *clientv3.Client, prefix string) error {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return err
	}
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for _, kv := range resp.Kvs {
		k := string(kv.Key)
		cmps = append(cmps, clientv3.Compare(clientv3.Version(k), "=", 0))
		ops = append(ops, clientv3.OpPut(k, ""))
		if len(ops) >= 100 {
			if _, err := cli.Txn(ctx).If(cmps...).Then(ops...).Commit(); err != nil { // want `the If list of this Txn grows with every element of Kvs`
				return err
			}
			ops = ops[:0]
		}
	}
	return nil
}

// CreateBoth chunks comparisons and puts alike: 100 of each per Txn is
// within the limit, which counts each list on its own.
func CreateBoth(ctx context.Context, cli *clientv3.Client, keys []string) error {
	for i := 0; i < len(keys); i += 100 {
		chunk := keys[i:min(i+100, len(keys))]
		cmps := make([]clientv3.Cmp, 0, len(chunk))
		ops := make([]clientv3.Op, 0, len(chunk))
		for _, k := range chunk {
			cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
			ops = append(ops, clientv3.OpPut(k, ""))
		}
		if _, err := cli.Txn(ctx).If(cmps...).Then(ops...).Else(ops...).Commit(); err != nil {
			return err
		}
	}
	return nil
}
