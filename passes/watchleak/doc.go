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
// gives each resource a function opens the scope it must end in (one
// iteration of the loop that opens it, the function, the goroutine that
// drains it) and reports the first point where it provably outlives it. It
// follows resources through local variables, phis, closures and the
// application's own helpers (in this package and, through facts, in
// others): a helper that returns an open watch carries a fact saying which
// context it is opened on (the caller's, a long-lived one it holds, or
// Background), and its callers are judged by it. Each diagnostic has a
// category:
//
// What it reports:
//
//	watch      a watch opened on every iteration of a loop (or every
//	           retry) and not ended before the next iteration opens
//	           another: not drained until it closes, and its context not
//	           made and cancelled in the iteration (nor given a deadline),
//	           whoever owns that context: Background, a long-lived field,
//	           the caller's context, a WithCancel made outside the loop.
//	           After k iterations k watches are open on the server, each
//	           buffering its events in the client without bound.
//	           A watch left behind by the loop that receives from it: the
//	           loop is left (return, break) after a response, or on a stop
//	           channel of a select, while the watch's context is
//	           Background/TODO (or a long-lived field's, when left after a
//	           response); or the loop stops on the Done of a context the
//	           function made while the watch was opened on the caller's
//	           context, which the function does not cancel.
//	           A watch whose context is never cancelled (Background, TODO,
//	           WithoutCancel, a WithCancel whose cancel is never used) or is
//	           a long-lived field's, and whose WatchChan is abandoned:
//	           never received from, or received from once, and neither
//	           returned nor stored nor passed on.
//	           A goroutine that receives from a watch on a context that is
//	           never cancelled until the watch closes, and has no other way
//	           to end: reported at its go statement, since every call of
//	           the function that starts it adds a goroutine and a watch.
//	keepalive  the channel of Lease.KeepAlive never received from
//	           (assigned to _, or kept where nothing reads it), whatever its
//	           context, unless the function cancels that context or revokes
//	           the lease; received from once and then abandoned while the
//	           keep-alive goes on (a context that is never cancelled, a
//	           struct field's long-lived context, or the client's own); a
//	           keep-alive opened per loop iteration and not drained. The
//	           client keeps renewing the lease and, once the channel's
//	           16-slot buffer is full, drops every response; 3.4 and later
//	           log "lease keepalive response queue is full; dropping
//	           response send" at warning level on each renewal. This is log
//	           spam and wasted work, not lease expiry.
//	           A keep-alive that a loop opens again on the same lease (an ID
//	           that does not change in the loop) each time its channel
//	           closes (a receive loop over it ends, or a function of the
//	           application that drains it returns), with nothing on the
//	           way back that learns whether the lease is gone: no call
//	           given the lease's ID (KeepAliveOnce, TimeToLive, a function
//	           of the application), no Grant, no test of a response
//	           received. The channel closes when its
//	           context ends and when the lease is gone (a response with
//	           TTL <= 0, or none before the lease's deadline:
//	           client/v3/lease.go recvKeepAlive, deadlineLoop); once the
//	           lease has expired every new keep-alive is due at once, sent
//	           within the client's 500 ms send wait and closed by the
//	           answer, so the loop renews a lease that no longer exists
//	           about twice a second for as long as it runs, and never learns
//	           that the keys attached to it (a lock, a registration) are
//	           gone (cloudwan/gohan#466, whose lock refresher re-opened the
//	           keep-alive on a 1 s deadline).
//	watcher    clientv3.NewWatcher never closed and not handed off.
//	session    concurrency.NewSession never closed (or orphaned) and not
//	           handed off: its lease (TTL 60 s by default) is renewed by a
//	           goroutine until the session or its client is closed. In a
//	           function that runs once per process (below), outside its
//	           loops, only when a key under the lease can still be held
//	           when the function returns: the process ends the keep-alive,
//	           but etcd keeps the lease, and every key under it, for its
//	           TTL, holding locks and leadership for a process that is
//	           gone. Held means acquired (Mutex.Lock or TryLock, Lock of a
//	           NewLocker, Election.Campaign, ResumeElection, a key put under
//	           Session.Lease(); a session passed to a function other than
//	           etcd's, or a Mutex or Election that leaves the function,
//	           counts as holding one) on a path to a return that runs no
//	           Unlock, Resign or Close first (a deferred one counts) and
//	           does not return a non-nil error (errors.New, fmt.Errorf, a
//	           concrete error, an error tested not nil). A session with
//	           nothing under its lease, or whose lock or leadership is
//	           released on every such path, leaves an empty lease for its
//	           TTL, which costs nothing.
//	client     clientv3.New, NewFromURL or NewFromURLs never closed and not
//	           handed off: a gRPC connection and the client's goroutines
//	           per call.
//
// A Watcher, Session or Client released or handed off on some paths only is
// reported at the first return it can reach without either (as go vet's
// lostcancel does for cancel funcs), and, when it is opened in a loop, at
// the opening if the next iteration can open another first (a Close
// deferred in a loop runs only when the function returns). The path where
// the opening failed (err != nil) and a branch where the resource is nil
// are not followed.
//
// Otherwise the diagnostic is at the call that opens the resource (or at the
// call of the application's helper that returns it open); the related
// position is the return or the loop exit that abandons it. A resource
// stored only in an unexported field that no code of the package ever reads
// counts as abandoned: nothing can release it from there.
//
// What it does not report:
//
//   - ownership handed off: the resource is returned (also inside a
//     returned struct, or a struct appended to a returned slice, even one
//     whose fields this package never reads: the caller owns it), stored in
//     a field that some code reads, in a map, a slice or a package
//     variable, sent on a channel, or passed to any function other than
//     etcd's own API (an unknown callee is assumed to take it; a function
//     of this package that only uses a Client, Watcher or Session, without
//     releasing, storing, returning or passing it on, does not take it,
//     nor does another function that gets a literal which only uses one it
//     captures, such as a poll or retry helper given a condition, also as
//     a named func type: nothing the literal does can close it, whoever
//     calls it and whenever; a literal stored as a long-lived callback
//     keeps its client as long as the callback, and the client is
//     reported all the same, since nothing can close it);
//   - a resource passed to a helper whose summary releases it (closes,
//     cancels or drains it), in this package or another, also through an
//     interface method;
//   - a resource released on every path: closed, orphaned, cancelled
//     (defer cancel() or a plain call), also inside a literal that is
//     called, deferred or started as a goroutine; the pass never demands
//     defer. A WithCancel whose cancel func is used anywhere counts as
//     cancelled: go vet's lostcancel reports the paths that miss it;
//   - a watch drained until it closes: received from in a loop that is
//     left only when the channel is closed (ok false) or etcd has ended the
//     watch (a response with Err() != nil or Canceled, after which the
//     client closes the channel);
//   - a watch from a revision no store reaches (WithRev(math.MaxInt64-2),
//     as etcd's grpcproxy watches to learn of a lost leader): it delivers
//     no event, so each receive waits for the watch to end;
//   - a watch on a long-lived field's context whose loop leaves on a stop
//     channel: the owner that stops it usually cancels that same context;
//   - a watch on the caller's context read once, or left by its loop on the
//     caller's own Done or a stop channel: the caller ends it, and the
//     function cannot tell how long it lives;
//   - a keep-alive drained in a loop, however the loop ends: its channel
//     closes when the lease is revoked or expires, and a loop that gives up
//     (on a timeout, a closed channel) typically grants a new lease, as in
//     a heartbeat that re-registers (unless the loop around it opens a
//     keep-alive on the same lease again, above);
//   - a function whose own loop drains a watch that is never cancelled:
//     such a function is the body its caller runs as a goroutine, and the
//     caller decides how often;
//   - a Watcher, Session or Client captured by a goroutine, which owns it;
//   - a Watcher on a path before its first Watch: NewWatcher only builds a
//     struct, and the first Watch on a context opens that context's gRPC
//     stream and its goroutine (client/v3/watch.go NewWatchFromWatchClient,
//     newWatcherGRPCStream), so an error return between the two leaks
//     nothing. Any call given the Watcher other than Close, and any
//     literal that captures it, counts as a Watch;
//   - a Watcher never closed whose every Watch runs on a context that ends
//     in the function: a WithCancel whose cancel it uses, or a deadline
//     (on every origin of the context). When a stream's last watch ends its
//     run loop returns ("no more watchers on this stream, shutdown") and
//     closeStream removes it, so the Watcher holds nothing. A watch on
//     Background, on a long-lived context, or on the caller's context
//     (which the function cannot see end) keeps it reported, as does a
//     Watcher passed to any function other than etcd's Watch and Close: a
//     bug this hides is a cancel that some path misses, which go vet's
//     lostcancel reports;
//   - a watch or keep-alive whose context has a deadline (WithTimeout,
//     WithDeadline) or is cancelled in the function, outside loops;
//   - a watch or keep-alive made on a Client, Watcher or Lease that the
//     same function closes (closing it ends them), or on a Client or
//     Watcher opened there that is itself reported;
//   - a watch that a helper returns together with the Watcher (or Client)
//     it is made on (the fact says which result it is made on): the
//     caller's Close of that result ends the watch, and a Watcher the
//     caller never closes is reported itself. When a Close sits in the
//     block that opens it again (closed, then re-opened after etcd cancels
//     the watch) the watch itself is judged;
//   - a keep-alive whose lease the same function revokes (Revoke closes
//     the channel);
//   - a session opened with concurrency.WithContext on a context that ends
//     (its keep-alive stops with it);
//   - a Client passed to concurrency.NewSession whose session is handed
//     off (Session.Client reaches it);
//   - Lease.KeepAliveOnce, which has no channel;
//   - the error path: after cli, err := clientv3.New(...); if err != nil
//     { return err } the client is nil and nothing leaks there;
//   - Clients and Watchers created in a function that runs once per
//     process (or in a literal nested in one), and watches it opens once:
//     the process ends them, and a connection or a watch does not outlive
//     the process (see -include-main); keep-alives and watches opened per
//     loop iteration there are reported, and sessions as said above.
//     Such a function (internal/dataflow Once) is main.main; a function
//     stored in a hook of a github.com/spf13/cobra Command (Run, RunE, the
//     PreRun, PostRun, PersistentPreRun and PersistentPostRun hooks and
//     their E forms) and used nowhere else but in static calls from such
//     functions: cobra runs the hooks of the one command a process
//     executes; an unexported function, an unexported method no interface
//     of the package names, or a function literal, whose every use is a
//     static call (also go or defer) from a function that runs once per
//     process, outside its loops. This hides a leak in a program that
//     executes its cobra command tree more than once (a shell calling
//     Execute per line), and a lock a command leaves held when it fails
//     with an error, which etcd releases at the lease's TTL as it does
//     for a holder that crashes; a session whose helper returns with its
//     lock held on purpose, in a process that goes on, is reported;
//   - a watch opened through an interface the application declares (a
//     Watch method returning clientv3.WatchChan held in a field) when no
//     implementation is in view: the channel may come from a fake or from
//     an implementation that owns and cancels the watch itself;
//   - test code, which lives as long as the test binary and often leaks on
//     purpose, e.g. to fill a keep-alive queue or to assert that a dial
//     fails (see -include-tests).
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "watchleak" (goroutines, heap and connections each leaked watch,
// session and client holds; the warnings of an undrained keep-alive; the
// TTL etcd grants a session without WithTTL and how long its keys outlive
// a holder that stops renewing).
//
// Flags:
//
//	-include-main (default false): also report Clients, Watchers, one-off
//	 watches and sessions with nothing held under their lease created in
//	 functions that run once per process (main.main, a cobra command's
//	 Run).
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
