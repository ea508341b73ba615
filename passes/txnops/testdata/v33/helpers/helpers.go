// Package helpers commits transactions through its own helpers, whose lists
// grow with what their callers pass: each is judged at its calls.
package helpers

import (
	"context"
	"errors"

	clientv3 "github.com/coreos/etcd/clientv3"
)

// removeKeys deletes keys in one Txn: right for a chunk, wrong for all keys.
func removeKeys(ctx context.Context, cli *clientv3.Client, keys []string) error { // want removeKeys:`opsfrom\(2\)`
	var ops []clientv3.Op
	for _, k := range keys {
		ops = append(ops, clientv3.OpDelete(k))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit()
	return err
}

// RemoveInPages calls removeKeys with windows of 100 and with the tail.
func RemoveInPages(ctx context.Context, cli *clientv3.Client, keys []string) error {
	for i := 0; i < len(keys); i += 100 {
		if err := removeKeys(ctx, cli, keys[i:min(i+100, len(keys))]); err != nil {
			return err
		}
	}
	return nil
}

// RemoveFirst removes at most the first 50 keys.
func RemoveFirst(ctx context.Context, cli *clientv3.Client, keys []string) error {
	return removeKeys(ctx, cli, keys[:min(len(keys), 50)])
}

// LookupAll reads keys 64 at a time through a function literal: every
// call passes a whole chunk, or the tail after the last whole chunk.
func LookupAll(ctx context.Context, cli *clientv3.Client, keys ...string) (map[string]string, error) {
	out := map[string]string{}
	const page = 64
	read := func(chunk []string) error {
		ops := make([]clientv3.Op, 0, page)
		for _, k := range chunk {
			ops = append(ops, clientv3.OpGet(k))
		}
		resp, err := cli.Txn(ctx).Then(ops...).Commit()
		if err != nil {
			return err
		}
		for _, r := range resp.Responses {
			for _, kv := range r.GetResponseRange().Kvs {
				out[string(kv.Key)] = string(kv.Value)
			}
		}
		return nil
	}
	full := len(keys) / page
	for i := 0; i < full; i++ {
		if err := read(keys[i*page : (i+1)*page]); err != nil {
			return nil, err
		}
	}
	if err := read(keys[full*page:]); err != nil {
		return nil, err
	}
	return out, nil
}

// LookupListed reads every key under prefix through LookupAll, which
// chunks them.
func LookupListed(ctx context.Context, cli *clientv3.Client, prefix string) (map[string]string, error) {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
	}
	return LookupAll(ctx, cli, keys...)
}

// Inventory holds the names the program manages.
type Inventory struct {
	cli   *clientv3.Client
	names []string
}

// markAll writes a marker per name: its list grows with names.
func markAll(ctx context.Context, cli *clientv3.Client, names []string) error { // want markAll:`opsfrom\(2\)`
	ops := make([]clientv3.Op, 0, len(names))
	for _, n := range names {
		ops = append(ops, clientv3.OpPut("/marks/"+n, "1"))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn grows with every element of names, and Inventory.Mark passes a collection that grows with every element of names`
	return err
}

// Mark hands the whole inventory to markAll.
func (inv *Inventory) Mark(ctx context.Context) error {
	return markAll(ctx, inv.cli, inv.names)
}

// MarkLater marks the whole inventory in a goroutine.
func (inv *Inventory) MarkLater(ctx context.Context, done chan<- error) {
	go func() { done <- markAll(ctx, inv.cli, inv.names) }()
}

// replaceAll guards on every old key and puts every new one, in one OpTxn.
func replaceAll(ctx context.Context, cli *clientv3.Client, olds, news []string) error { // want replaceAll:`opsfrom\(2,3\)`
	var cmps []clientv3.Cmp
	for _, k := range olds {
		cmps = append(cmps, clientv3.Compare(clientv3.Version(k), ">", 0))
	}
	var ops []clientv3.Op
	for _, k := range news {
		ops = append(ops, clientv3.OpPut(k, ""))
	}
	_, err := cli.Do(ctx, clientv3.OpTxn(cmps, ops, nil)) // want `the If list of this OpTxn grows with every element of olds, and Inventory.Rotate passes a collection that grows with every element of names`
	return err
}

// Rotate guards on every name, but puts at most 100 new ones: only the If
// list is too long.
func (inv *Inventory) Rotate(ctx context.Context, next []string) error {
	return replaceAll(ctx, inv.cli, inv.names, next[:min(len(next), 100)])
}

// MarkOne marks a single name.
func MarkOne(ctx context.Context, cli *clientv3.Client, name string) error {
	return markAll(ctx, cli, []string{name})
}

// writeBatch is reached through passOn from a Get response.
func writeBatch(ctx context.Context, cli *clientv3.Client, keys []string) error { // want writeBatch:`opsfrom\(2\)`
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for _, k := range keys {
		cmps = append(cmps, clientv3.Compare(clientv3.Version(k), ">", 0))
		ops = append(ops, clientv3.OpPut(k, "touched"))
	}
	_, err := cli.Txn(ctx).If(cmps...).Then(ops...).Commit() // want `the If list of this Txn grows with every element of keys, and Touch passes a collection that grows with every element of Kvs` `the Then list of this Txn grows with every element of keys, and Touch passes`
	return err
}

func passOn(ctx context.Context, cli *clientv3.Client, keys []string) error { // want passOn:`opsfrom\(2\)`
	return writeBatch(ctx, cli, keys)
}

// Touch rewrites every key under prefix: the Get response is unbounded.
func Touch(ctx context.Context, cli *clientv3.Client, prefix string) error {
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
	}
	return passOn(ctx, cli, keys)
}

// putSlice puts one key per element: called with chunks of 500.
func putSlice(ctx context.Context, cli *clientv3.Client, keys []string) error { // want putSlice:`opsfrom\(2\)`
	var ops []clientv3.Op
	for _, k := range keys {
		ops = append(ops, clientv3.OpPut(k, ""))
	}
	_, err := cli.Txn(ctx).Then(ops...).Commit() // want `the Then list of this Txn grows with every element of keys, and PutWide passes chunks of up to 500 elements`
	return err
}

// PutWide chunks, but at 500.
func PutWide(ctx context.Context, cli *clientv3.Client, keys []string) error {
	for i := 0; i < len(keys); i += 500 {
		if err := putSlice(ctx, cli, keys[i:min(i+500, len(keys))]); err != nil {
			return err
		}
	}
	return nil
}

// A change edits a state map and records the keys it touched.
type Change interface {
	Apply(state map[string]string, touched map[string]bool) error
}

// Source yields the changes of every tenant.
type Source interface {
	Changes() []Change
}

// Syncer commits the changes its sources produce.
type Syncer struct {
	cli    *clientv3.Client
	state  map[string]string
	revs   map[string]int64
	source Source
}

// commitChanges applies every change to a copy of the state and commits
// each touched key, guarded by its revision, in one Txn: the touched set is
// as large as all the changes together.
func (s *Syncer) commitChanges(ctx context.Context, changes []Change) error { // want commitChanges:`opsfrom\(1\)`
	next := make(map[string]string, len(s.state))
	for k, v := range s.state {
		next[k] = v
	}
	touched := make(map[string]bool)
	for _, c := range changes {
		if err := c.Apply(next, touched); err != nil {
			return err
		}
	}
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for k := range touched {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", s.revs[k]))
		if v, ok := next[k]; ok {
			ops = append(ops, clientv3.OpPut(k, v))
		} else {
			ops = append(ops, clientv3.OpDelete(k))
		}
	}
	resp, err := s.cli.Txn(ctx).If(cmps...).Then(ops...).Commit() // want `the If list of this Txn grows with every element of changes \(through a map filled from it\), and Syncer.Loop passes a collection that grows with every element of the result of Changes\(\)` `the Then list of this Txn grows with every element of changes`
	if err != nil {
		return err
	}
	if !resp.Succeeded {
		return errors.New("conflict")
	}
	return nil
}

// Loop gathers every source's changes each tick and commits them together.
func (s *Syncer) Loop(ctx context.Context, ticks <-chan struct{}) error {
	var pending []Change
	for range ticks {
		pending = append(pending, s.source.Changes()...)
		if err := s.commitChanges(ctx, pending); err != nil {
			continue
		}
		pending = pending[:0]
	}
	return nil
}

// saveState commits every entry of a state map with a guard per key.
func (s *Syncer) saveState(ctx context.Context, state map[string]string) error { // want saveState:`opsfrom\(1\)`
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for k, v := range state {
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", s.revs[k]))
		ops = append(ops, clientv3.OpPut(k, v))
	}
	_, err := s.cli.Txn(ctx).If(cmps...).Then(ops...).Commit() // want `the If list of this Txn grows with every element of state, and Syncer.Flush passes a collection that grows with every element of the result of mergeUnder\(\)` `the Then list of this Txn grows with every element of state`
	return err
}

// mergeUnder merges groups of changed keys until a byte budget: the
// number of keys is not what it bounds.
func mergeUnder(groups []map[string]string, budget int) map[string]string {
	out := map[string]string{}
	size := 0
	for _, g := range groups {
		n := 0
		for k, v := range g {
			n += len(k) + len(v)
		}
		if size+n > budget {
			break
		}
		for k, v := range g {
			out[k] = v
		}
		size += n
	}
	return out
}

// Flush commits as many groups as fit in 1 MiB.
func (s *Syncer) Flush(ctx context.Context, groups []map[string]string) error {
	return s.saveState(ctx, mergeUnder(groups, 1<<20))
}
