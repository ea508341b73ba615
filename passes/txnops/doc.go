// Package txnops defines an Analyzer that reports etcd transactions whose
// If, Then or Else list can hold more operations than etcd accepts.
//
// # Analyzer txnops
//
// txnops: report a Txn whose op list grows past etcd's --max-txn-ops
//
// etcd refuses a transaction with too many operations before it reaches
// raft: the whole Txn fails with "etcdserver: too many operations in txn
// request" and none of it is applied. The rule, checkTxnRequest in
// server/etcdserver/api/v3rpc/key.go (the same code in 3.3.27, 3.4, 3.5.35
// and 3.6.16), is
//
//	opc := max(len(Compare), len(Success), len(Failure))
//	if opc > maxTxnOps { return ErrGRPCTooManyOps }
//
// with maxTxnOps the server's --max-txn-ops, 128 by default
// (embed.DefaultMaxTxnOps). So the If comparisons, the Then operations and
// the Else operations are each held to the limit on their own; they are not
// summed. A nested transaction (an OpTxn inside Then or Else) is checked by
// the same rule against what its parent leaves, maxTxnOps minus the
// parent's opc.
//
// A list that grows with the data works in tests and fails in production
// the day the collection passes 128 elements, typically in a cleanup or
// migration that deletes "all keys of X" in one Txn.
//
// What it reports:
//
// A call of Txn.If, Txn.Then, Txn.Else or clientv3.OpTxn (which KV.Do or a
// parent Txn commits) whose list:
//
//   - is built by appending, in a loop, one or more operations per element
//     of a collection whose size nothing bounds: a field, a map, a Get
//     response's Kvs, a channel, the result of a call (except a function of
//     the same package every return of which has a length the pass can
//     count: a list filled in a loop with a constant trip count, such as
//     one prefix per kind of a fixed set of kinds), or a counted loop up
//     to len of such a collection; or made with make([]Op, len(keys)) and
//     filled by index. A map the function fills for every element of such
//     a collection (a set of changed keys that each patch of a list adds
//     to) is as large as it: committing every changed key of a patch or
//     diff in one Txn grows with the patch. A list kept in a variable that
//     a function literal captures is measured the same way: every append
//     to it (ops = append(ops, ...), in the function or in a literal it
//     captures) adds what it appends once per iteration of the loop
//     around it, or, in a literal, once per iteration of the loop around
//     each call of the literal (add := func(k string) { ops =
//     append(ops, clientv3.OpDelete(k)) } called for every key a Get
//     returned). A store that replaces the list inside a loop or from a
//     literal (a flush), or any use that could change the variable
//     otherwise (its address passed on, the literal passed instead of
//     called), leaves the list unmeasured;
//   - holds a constant number of entries above the limit: a literal list, a
//     loop with a constant trip count, a chunk window or a flush threshold
//     with a constant larger than the limit (ops[i:i+500], a flush when
//     len(ops) == 500, or on every 500th element, i%500 == 0), the
//     constant being a named constant, a package variable assigned once,
//     or the default of the command-line flag the variable is bound to;
//   - is cut into chunks while another list of the same Txn is not: etcd
//     holds If, Then and Else to the limit each on its own, so a loop that
//     commits the Then list 100 at a time but attaches every comparison
//     (or the whole Else list) to each chunk is reported on that list;
//   - grows with a parameter of the function that commits it (a helper),
//     where a caller passes a collection nothing bounds or chunks above the
//     limit. The helper is judged at its calls: the pass exports the fact
//     opsfrom(i) ("a Txn list grows with every element of parameter i"),
//     also through helpers that pass the parameter on. A caller in the
//     helper's package is reported at the helper's Txn, with the call as
//     related information; a caller in another package is reported at the
//     call, with the helper as related information. One collection per
//     tick, appended to a pending list that is emptied after each commit,
//     is unbounded all the same: one iteration adds a whole collection;
//   - comes from the application's own helper, in this package or another,
//     that builds the list in a loop over its parameter (or over its own
//     field) and returns it, when the caller's argument is itself
//     unbounded: the pass exports the fact grows(i) from(p) on such a helper
//     ("result i grows with parameter p"), also on an interface method whose
//     implementations in the same package all do;
//   - is passed to the application's own helper that commits its parameter
//     whole as a Txn list (fact commits(p)), when the list is unbounded.
//
// What it does not report:
//
//   - a helper whose list grows with its parameter, when no caller the pass
//     sees passes it an unbounded collection: every caller passes a chunk
//     within the limit (a window, the first n elements, the tail after
//     the last whole chunk, x[len(x)/M*M:]), a single element, or the
//     helper is an API with no caller in the program. Whether such a list
//     is too long is decided by what the caller passes; a library's
//     Update(items) that commits one atomic Txn is right as long as its
//     callers pass what fits;
//   - a list converted element by element from another list of etcd
//     operations or comparisons: a proxied TxnRequest's Compare, Success
//     and Failure turned into an OpTxn, or a comparison per operation of
//     a Txn the program's user built (a caching KV that guards the user's
//     Then list). The source list is already held to --max-txn-ops where
//     it is built and where etcd receives it; the pass measures the
//     source and reports only where that grows;
//   - a list cut into chunks of a constant size within the limit: a reslice
//     ops[i:min(i+100, len(ops))], ops[i:end] with end = i+100 clamped to
//     len(ops), ops[n*M:(n+1)*M] with M a constant or a package variable
//     assigned once, or keys[:min(len(keys), 100)];
//   - a map returned by a function of the package that fills it only
//     while its length stays under a constant within the limit: a store
//     into it runs only after a test of len(m) (plus the len of what the
//     iteration adds, when it adds a whole group) against the constant
//     whose "reached" side leaves the filling loop (if len(batch)+len(g)
//     >= 128 { break }). The map holds at most that many keys however long
//     the input is; a batch capped by count is what --max-txn-ops asks for
//     (pingcap/tiflow's EtcdWorker after PR #3681 caps each batch of
//     changed keys at 128). A batch capped only by bytes is not capped by
//     count and is reported; a cap above the limit is reported as chunks
//     that are too large;
//   - an accumulator flushed when its length reaches a constant within the
//     limit (if len(ops) >= 100 { commit; ops = ops[:0] }, ops = nil,
//     ops = []Op{}), or a flag-configured size whose default is within it
//     (etcdctl make-mirror's --max-txn-ops, default 128, added after the
//     mirror failed on large revisions, etcd PR #14340): the default is
//     what the program ships with, and a user who raises it raises the
//     server's as well; a map replaced when its length reaches such a
//     constant; comparisons collected and flushed with the operations;
//     any accumulator that is reset inside its loop under a condition the
//     pass cannot measure (a byte budget) while each iteration adds a
//     bounded number of entries is assumed chunked;
//   - a reslice whose bounds the pass cannot measure (ops[lo:hi] with
//     computed bounds);
//   - constant lists within the limit, and loops with a constant trip count
//     whose total stays within it;
//   - counted loops up to a value that is not the length of a collection
//     (for i := 0; i < n; i++) and loops the pass cannot classify (for
//     cond(), goroutines, range-over-func iterators);
//   - lists kept in a struct field (a batch type whose Add appends and
//     whose Commit sends the whole list: its length is the number of Add
//     calls between commits, which its callers decide and the pass does
//     not follow), or built by helpers the pass has no fact for (a generic
//     Map[T, U] that turns each key into an Op); helpers called through an
//     interface or a function value (their callers are not known); a raw
//     etcdserverpb.TxnRequest whose Success list is appended to (only the
//     clientv3 Txn and OpTxn lists are measured);
//   - the budget of a nested transaction within its parent (each OpTxn is
//     checked against the whole limit).
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "txnops" (the error etcd returns over --max-txn-ops, and If, Then
// and Else counted apart).
//
// Flags:
//
//	-max N   the server's --max-txn-ops (default 128); lists and chunks
//	         longer than N are reported
//
// Example:
//
//	resp, err := cli.Get(ctx, "/jobs/", clientv3.WithPrefix(), clientv3.WithKeysOnly())
//	...
//	var ops []clientv3.Op
//	for _, kv := range resp.Kvs {
//		ops = append(ops, clientv3.OpDelete(string(kv.Key)))
//	}
//	_, err = cli.Txn(ctx).Then(ops...).Commit() // fails past 128 keys
//
// Fix: commit in chunks of at most the limit,
//
//	for i := 0; i < len(ops); i += 128 {
//		_, err := cli.Txn(ctx).Then(ops[i:min(i+128, len(ops))]...).Commit()
//		...
//	}
//
// or, when the change must be atomic, restructure it (one key holding the
// set, a prefix deleted with WithPrefix in one operation), or raise the
// server's --max-txn-ops and pass the same value to -max.
package txnops
