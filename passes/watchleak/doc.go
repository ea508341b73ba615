// Package watchleak defines an Analyzer that reports etcd watches,
// keep-alives, watchers, sessions and clients that are never released.
//
// # Analyzer watchleak
//
// watchleak: report etcd watches, keep-alives and clients left open
//
// etcd's client holds memory, goroutines and server-side state for each of
// these until the program releases it, and nothing releases it otherwise:
// a watch on context.Background() is never closed (etcd-io/etcd#9103: a
// Watch per call, memory never released), a Session renews its lease until
// Close, a Client keeps its connection and goroutines until Close. The pass
// follows each resource a function opens through its local variables, phis,
// closures and the application's own helpers (in this package and, through
// facts, in others) and reports those the function neither releases nor
// hands off. Each diagnostic has a category:
//
// What it reports:
//
//	watch      Watch(ctx, ...) whose ctx can never be cancelled
//	           (context.Background, context.TODO, context.WithoutCancel,
//	           or a WithCancel whose cancel func is never used) and whose
//	           WatchChan is abandoned: never received from, or received
//	           from once, and neither returned nor stored nor passed on.
//	           Also a Watch opened on each iteration of a loop and read
//	           once per iteration. The watch stays open on the server and
//	           the client buffers every event for it without bound.
//	keepalive  the channel of Lease.KeepAlive never received from, or
//	           received from once and then abandoned, while the keep-alive
//	           goes on (a context that is never cancelled, a struct
//	           field's long-lived context, or the client's own). The client
//	           keeps renewing the lease and, once the channel's 16-slot
//	           buffer is full, drops every response; 3.4 and later log
//	           "lease keepalive response queue is full; dropping response
//	           send" at warning level on each renewal. This is log spam and
//	           wasted work, not lease expiry.
//	watcher    clientv3.NewWatcher never closed and not handed off.
//	session    concurrency.NewSession never closed (or orphaned) and not
//	           handed off: its lease (TTL 60 s by default) is renewed by a
//	           goroutine until the session or its client is closed.
//	client     clientv3.New, NewFromURL or NewFromURLs never closed and not
//	           handed off: a gRPC connection and the client's goroutines
//	           per call.
//
// The diagnostic is at the call that opens the resource (or at the call of
// the application's helper that returns it open); the related position is
// the return that abandons it. A resource stored only in an unexported
// field that no code of the package ever reads counts as abandoned: nothing
// can release it from there.
//
// What it does not report:
//
//   - ownership handed off: the resource is returned (also inside a
//     returned struct), stored in a field that some code reads, in a map, a
//     slice or a package variable, sent on a channel, or passed to any
//     function other than etcd's own API (an unknown callee is assumed to
//     take it);
//   - a resource passed to a helper whose summary releases it (closes,
//     cancels or drains it), in this package or another, also through an
//     interface method;
//   - a resource released on some path: closed, orphaned, cancelled
//     (defer cancel() or a plain call), also inside a literal that is called,
//     deferred or started as a goroutine; the pass never demands defer. A
//     WithCancel whose cancel func is used anywhere (called on some path,
//     deferred, stored, passed on) counts as cancelled: go vet's lostcancel
//     reports the paths that miss it;
//   - a channel abandoned after a receive inside a loop (a return from a
//     for range over the WatchChan): the pass treats any receive in a loop
//     as draining;
//   - a channel drained: received from in a loop that does not reopen it,
//     such as for range ch in a goroutine;
//   - a Watcher, Session or Client captured by a goroutine, which owns it
//     for its lifetime;
//   - a watch or keep-alive whose context is a parameter (the caller ends
//     it), is cancelled in the function, or has a deadline
//     (WithTimeout, WithDeadline); a watch on a long-lived struct field's
//     context;
//   - a watch or keep-alive made on a Client, Watcher or Lease that the
//     same function closes (closing it ends them), or on a Client or
//     Watcher opened there that is itself reported;
//   - a keep-alive whose lease the same function revokes (Revoke closes
//     the channel);
//   - a session opened with concurrency.WithContext on a context that ends
//     (its keep-alive stops with it);
//   - a Client passed to concurrency.NewSession whose session is handed
//     off (Session.Client reaches it);
//   - Lease.KeepAliveOnce, which has no channel;
//   - the error path: after cli, err := clientv3.New(...); if err != nil
//     { return err } the client is nil and nothing leaks there;
//   - resources created in main.main, which live as long as the process
//     (see -include-main), and in test code, which lives as long as the
//     test binary and often leaks on purpose, e.g. to fill a keep-alive
//     queue or to assert that a dial fails (see -include-tests).
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// Flags:
//
//	-include-main (default false): also report resources created in
//	 main.main.
//	-include-tests (default false): also report resources created in
//	 test code.
//
// Example:
//
//	func latest(cli *clientv3.Client, key string) *clientv3.Event {
//		wch := cli.Watch(context.Background(), key) // reported: never cancelled
//		resp := <-wch
//		return resp.Events[0]
//	}
//
// Fix:
//
// For a Watcher, Session or Client held in a local variable, opened outside
// a loop and followed by an error check that returns, the fix inserts
// defer x.Close() after the check (after the opening statement for
// NewWatcher, which returns no error):
//
//	cli, err := clientv3.New(cfg)
//	if err != nil {
//		return err
//	}
//	defer cli.Close()
//
// No fix is offered for watches and keep-alives, whose right release
// (cancelling a context, draining in a goroutine) depends on the program.
package watchleak
