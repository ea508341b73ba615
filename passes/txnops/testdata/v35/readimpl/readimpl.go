// Package readimpl plans reads: it builds operations and never sends one,
// and never writes.
package readimpl

import clientv3 "go.etcd.io/etcd/client/v3"

// Prefixed reads every key under a prefix.
type Prefixed struct{ Prefix string }

// Reads returns one Get per key.
func (p Prefixed) Reads(keys []string) []clientv3.Op { // want Reads:`grows\(0\) from\(0\)`
	ops := make([]clientv3.Op, 0, len(keys))
	for _, k := range keys {
		ops = append(ops, clientv3.OpGet(p.Prefix+k))
	}
	return ops
}
