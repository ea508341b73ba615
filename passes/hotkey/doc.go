// Package hotkey defines an Analyzer that reports etcd keys rewritten on
// every iteration of a timer loop, an unbounded loop or a per-item loop.
//
// # Analyzer hotkey
//
// hotkey: report a fixed etcd key rewritten on every iteration of a loop
//
// Every write to etcd is a raft entry and a new revision of the key. etcd
// keeps at least the 5000 most recent raft entries in memory, and every
// revision stays in the key index and the database until it is compacted;
// auto-compaction is off unless the cluster is configured for it. A key
// rewritten forever on a timer (a heartbeat, a progress counter, a status
// refreshed whether or not it changed) multiplies every other cost: a status
// key rewritten every 5 s is 17280 revisions a day, each as large as the
// value.
//
// What it reports:
//
// An etcd write (KV.Put, OpPut committed in the loop, STM.Put, a raw
// PutRequest, or a call of the application's own wrapper, function, method or
// interface method, in this package or another, that writes) whose key is the
// same on every iteration, inside:
//
//   - a loop paced by a timer: a receive from a channel of time.Time
//     (time.Ticker.C, time.Tick, time.After, time.Timer.C, or an
//     application's own timer that delivers time.Time values), a select with
//     such a case, or a time.Sleep; the message gives the period when the
//     duration is a constant ("every 5s");
//   - a loop over a collection (range over a slice, array, map or string, or
//     a counted loop) whose key does not depend on the element: a progress
//     counter written once per item;
//   - an unbounded loop that nothing paces and nothing bounds;
//   - a time.AfterFunc callback that re-arms itself (calls time.AfterFunc or
//     Timer.Reset again, or the function that scheduled it); its period is
//     the duration the re-arming call gives. A declared function or method
//     value given to time.AfterFunc counts when it calls Reset on the
//     timer that AfterFunc returned (kept in the same field of the same
//     struct type, or the same package variable) or AfterFunc with itself
//     again, and is reported at the scheduling call like a scheduler's;
//     one that resets another timer, or nothing, runs once;
//   - a function that a scheduler runs once per period: Kubernetes'
//     wait.Until, UntilWithContext, Forever, NonSlidingUntil(WithContext)
//     and JitterUntil(WithContext), the way controllers and operators run
//     periodic work. A function literal's own writes are checked as a timer
//     loop's; a declared function or a method value (wait.UntilWithContext(
//     ctx, r.publish, 5*time.Second)) is reported at the scheduling call when
//     it rewrites a key fixed by nothing or by its receiver, which the method
//     value binds once. wait's Poll functions are not periodic work: they
//     stop once the condition holds, like a retry.
//
// A write in a function literal that no loop of the literal repeats is
// judged where its parent runs it: a literal called, deferred or started
// as a goroutine in the loop, or given to concurrency.NewSTM there as
// apply (NewSTM runs apply and commits its Puts on every call), writes
// on every iteration as if the write were in the loop. The key must be
// built inside the literal from constants, free variables and parameters
// it does not reassign, and the write must not depend on a condition, an
// error path or a receive inside the literal (a change check there keeps
// it quiet); the free variables and arguments it comes from are then
// judged in the loop like any other key (a variable the loop reassigns
// makes it vary). This is followed out through up to three nested
// literals. A literal handed to anything else (sync.Once.Do, an errgroup,
// a map of handlers) is not followed: whether and how often it runs is
// not known.
//
// The key is "the same on every iteration" when it is built only from
// constants, globals, parameters, and values computed before the loop, through
// concatenation, conversions, fmt.Sprintf and other standard-library
// transformations. A loop's induction variable, a value received or returned
// by a call inside the loop, or a variable reassigned in the loop makes the
// key vary. Through a wrapper, the pass exports a fact on each function that
// writes, on every call, a key built only from constants and the listed
// parameters (receiver included); a call of it in a loop is reported when the
// arguments in those positions are the same on every iteration.
//
// A wrapper that writes through a Txn it commits (Txn().Then(OpPut(k, v)))
// gets the same fact as one that calls Put, when the Txn has no compare or
// only compares that are concurrency control: Version, ModRevision or
// CreateRevision compared with a value read before (a compare-and-swap),
// or a lease. Such a Txn writes on every call that meets no concurrent
// writer, and a read-modify-write retried until it succeeds writes once per
// call: grafana/dskit's ring heartbeat rewrites the whole ring key every
// 5 s through exactly such a kv.Client.CAS. A call through an interface
// method takes the union of the facts of the implementations the caller
// can see (those of the packages it imports; under etcdlint -whole, every
// one in the program, and for an interface of a library that knows nothing
// of etcd, such as a generic key-value store whose backend main registers,
// every implementation that reaches etcd): one implementation that rewrites the key on every call
// is enough, since a program wired to it rewrites the key on every tick,
// and another implementation that writes nothing, writes only on change, or
// hides its write in a callback (a metrics decorator) does not make it
// harmless. When only some of the implementations rewrite the key (the fact
// is marked "some"), the call is reported in a loop paced by a timer only:
// in a loop over a few items (pingcap/tiflow initialises each of its units
// through an interface, one of whose implementations starts a TiDB domain
// that writes its privilege key) it is too weak a sign.
//
// One key per element of a collection is also a set of keys "the same on
// every iteration" of an outer loop: a range over a slice, an array or a
// map (or a counted loop up to its length) held in a field, a parameter or
// a value computed before the outer loop, which the outer loop neither
// replaces, appends to nor deletes from, writing a key built from the
// element. A registry that re-puts every service's key with a fresh lease
// on every tick, instead of keeping one lease alive, rewrites all of them
// every period. Through wrappers, a function that ranges over such a
// collection of its receiver or parameters gets a fact marked "each".
//
// A set of keys is "the same on every iteration" when a write puts every key
// of a map (a range over the map, each key written, in one Txn or one by
// one) and the map's keys are: fixed values, the keys of another such map
// (a field or a parameter the region neither replaces nor deletes from),
// or the elements a walk callback receives (a function literal passed to a
// method named Walk*, Range, ForEach* or Each*, taken to enumerate a
// collection the program holds), and values computed from those by the
// application's own functions and methods or by standard-library
// transformations. Through wrappers, the fact also lists the map
// parameters whose every key is written, and marks such functions "set":
// a status refresher that walks its components, fills a map by name and
// hands it to a wrapper that writes the whole map is reported at the call
// in its timer loop.
//
// A write with a lease (clientv3.WithLease) is reported too: a Put with a
// lease is still a new revision and a raft entry, and easegress's status
// sync (easegress-io/easegress#541), which rewrote its status keys under a
// lease every 5 s, is exactly that shape. Renewing the lease with KeepAlive
// costs no revision and no raft entry, so a loop that rewrites a leased key
// only to keep it alive is the thing to replace.
//
// What it does not report:
//
//   - a key derived from the loop element ("/items/"+id) of a loop that no
//     outer loop repeats, of a collection read or built anew on every tick
//     (the keys a Get returned), or from anything else that changes between
//     iterations;
//   - a bounded retry: a loop that leaves on success (err == nil, a Txn's
//     Succeeded, or the true result of the writing call: if verify() {
//     return }, as grafana/dskit's lifecycler waits for its tokens to be
//     stable) after the write, or on the success of an etcd call that
//     follows the write in the iteration (grant, put, then KeepAlive,
//     started over until the KeepAlive opens: apache/skywalking-banyandb's
//     lease reconnect), and loops with a constant bound of at most
//     -max-bound iterations;
//   - a put in a Txn that runs only when the key does not exist
//     (If(Compare(CreateRevision(k), "=", 0)).Then(OpPut(k, ...)), or
//     Version = 0): it creates the key once (a lock, a registration) and
//     never rewrites it; cloudwan/gohan's lock loop retries exactly that
//     every few seconds until it wins. A put in a Txn that runs only when
//     the key's value differs from the written one (Compare(Value(k), "!=",
//     v) in Then, "=" in Else) is a change check etcd makes. A compare on
//     the value of another key is a precondition (this process still holds
//     a lock) and does not exempt the put; a Txn whose compares the pass
//     cannot follow gives its wrapper no fact;
//   - a write behind a one-shot timer (time.After, a time.Timer's C) that
//     the loop does not arm again every time it fires: armed once before the
//     loop (a start-up delay), or re-armed only on some paths (while a check
//     keeps failing), as grafana/dskit's lifecycler joins the ring once
//     after JoinAfter and observes its tokens again only while they
//     conflict, beside the heartbeat ticker it is reported for. time.After
//     evaluated in the loop, a Timer.Reset, or a new time.After assigned on
//     every path back to the loop's head make it a period;
//   - a single write outside any loop;
//   - a write guarded by a change check inside the loop: the write is only
//     reached on the "differs" side of a comparison of two non-constant
//     values (v != last, or the false side of v == last, bytes.Equal,
//     reflect.DeepEqual, slices.Equal, maps.Equal, or an Equal method) one of
//     which shares a source with the written value; or behind a dirty flag:
//     a boolean field or package variable that the same function also
//     stores to (if s.dirty { put; s.dirty = false }), or an atomic Swap or
//     CompareAndSwap. The check must dominate the write in the same
//     function; a helper that hides the comparison (if s.changed(v)) is not
//     recognised, and a wrapper whose write is guarded gets no fact, so its
//     callers are not reported;
//   - a write reached only on an error path (err != nil, err == ErrX,
//     errors.Is: re-registering after a keep-alive failed), or only under a
//     condition on what an etcd read in the loop returned (create the key
//     when a Get finds it missing, reconcile a differing value), also when
//     the read is assigned to a variable inside a goroutine the loop waits
//     for or a closure it calls (hertz-contrib/registry's keepRegister reads
//     the key in a goroutine, waits on a WaitGroup, and puts it only when
//     it is gone: a registration restored after it expired, not a rewrite);
//   - a write in a loop paced by something other than a timer: a receive
//     from a channel that does not carry time.Time (an event, a watch
//     response, a drained KeepAlive channel in a re-registration loop), or a
//     select without a timer case, since each iteration then follows a change;
//   - in a loop over a collection or an unbounded loop, a write reached only
//     under a condition that changes between iterations (a find loop, a
//     write every 100 items), and unbounded loops that call functions the
//     pass cannot see into (they may block until a change);
//   - a map whose keys come from a receive, a counter, a time value or a
//     callback that is not a walk (an event handler), a map the loop
//     drains with delete or clear, a map of entries whose value changed
//     (the write is behind a change check), and a map filled by code the
//     pass cannot see; the assumption that a walked collection is the same
//     on every tick is not checked: a walk over a collection that really
//     does change every tick would be reported;
//   - Election.Campaign and Proclaim, whose key the pass does not model;
//   - a write through a function value the pass cannot resolve: a field
//     holding cli.Put, a map of handler literals run on every tick, a
//     declared function given to concurrency.NewSTM as apply. What such
//     a value holds is decided by every store into it, which the pass does
//     not follow;
//   - loops in test code (flag -include-tests).
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "largevalue, hotkey" (heap, raft entries, revisions and db size of
// a key rewritten every tick).
//
// Flags:
//
//	-max-bound N     a loop with a constant bound of at most N iterations is
//	                 not reported (default 10); a counted loop from a constant
//	                 start is bounded by the times it runs, counting up or down
//	-include-tests   also check test code
//
// Example:
//
//	t := time.NewTicker(5 * time.Second)
//	for range t.C {
//		cli.Put(ctx, "/app/status", status()) // rewritten every 5s
//	}
//
// Fix: write only when the value changes (keep the last value written and
// compare), use a lease with KeepAlive for liveness instead of rewriting a
// heartbeat key, or aggregate progress and write it once at the end or every
// N items.
package hotkey
