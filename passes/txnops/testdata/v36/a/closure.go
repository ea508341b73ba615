package a

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// DropJobs collects its deletes through a helper literal called once per
// key the Get returned: the list grows with the keys under the prefix.
func DropJobs(ctx context.Context, cli *clientv3.Client) error {
	resp, err := cli.Get(ctx, "/jobs/", clientv3.WithPrefix())
	if err != nil {
		return err
	}
	var ops []clientv3.Op
	add := func(key []byte) { ops = append(ops, clientv3.OpDelete(string(key))) }
	for _, kv := range resp.Kvs {
		add(kv.Key)
	}
	_, err = cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn grows with every element of Kvs`
	return err
}

// Walker appends from a literal that loops itself over what Get returned.
func Walker(ctx context.Context, cli *clientv3.Client) error {
	var ops []clientv3.Op
	collect := func(prefix string) error {
		resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix())
		if err != nil {
			return err
		}
		for _, kv := range resp.Kvs {
			ops = append(ops, clientv3.OpDelete(string(kv.Key)))
		}
		return nil
	}
	if err := collect("/tmp/"); err != nil {
		return err
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn grows with every element of Kvs`
	return err
}

// Fixed calls its helper literal for three keys.
func Fixed(ctx context.Context, cli *clientv3.Client) error {
	var ops []clientv3.Op
	add := func(k string) { ops = append(ops, clientv3.OpDelete(k)) }
	for _, k := range []string{"/a", "/b", "/c"} {
		add(k)
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// FlushedLit commits every 100 deletes and empties the list.
func FlushedLit(ctx context.Context, cli *clientv3.Client) error {
	resp, err := cli.Get(ctx, "/jobs/", clientv3.WithPrefix())
	if err != nil {
		return err
	}
	var ops []clientv3.Op
	flush := func() error {
		_, err := cli.Txn(ctx).Then(ops...).Commit()
		ops = nil
		return err
	}
	for _, kv := range resp.Kvs {
		ops = append(ops, clientv3.OpDelete(string(kv.Key)))
		if len(ops) == 100 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
