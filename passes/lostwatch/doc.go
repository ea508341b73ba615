// Package lostwatch defines an Analyzer that reports code consuming an
// etcd watch that mishandles how the watch ends: it spins on the closed
// channel, stops following the keys without a word, or re-opens the watch
// in a way that cannot recover.
//
// # Analyzer lostwatch
//
// lostwatch: report watch loops that lose the watch and never notice
//
// etcd's client documents how a watch ends (client/v3 watch.go, the Watch
// comment and WatchResponse; the same in 3.3 to 3.6): the WatchChan is
// closed when the watch's context is cancelled, and also when the server
// cancels the watch with a non-recoverable error: ErrCompacted when the
// revision it was opened (or resumed) from has been compacted, ErrNoLeader
// under WithRequireLeader when its member loses the leader, permission
// denied. Before a server cancellation the client posts a last response
// with Canceled set and a non-nil Err(), best effort (dropped when not read
// within 250 ms). A receive from the closed channel returns at once a zero
// WatchResponse: no events, Canceled false, Err() nil.
//
// What it reports:
//
//  1. A spin on the closed channel: a loop (for {} or for cond {} with no
//     context in cond) receives from a WatchChan without the ", ok" form
//     (resp := <-wch, or case resp := <-wch in a select) and nothing in it
//     leaves the loop when the channel is closed: no if on the response
//     (Canceled, Err(), CompactRevision, its events or header) whose branch
//     returns, breaks out, panics or opens the watch again, and no select
//     case on the Done channel of the watch's own context (or one derived
//     from it or it from). That Done case covers only a watch that ends
//     with its context: not one etcd can end while the context is live (as
//     in rule 2, opened WithRev(r) or on a WithRequireLeader context), whose
//     channel is closed while Done is not ready. Once the watch ends the
//     goroutine burns a core.
//  2. A watch whose end is taken for the end of its context: the function
//     opens a watch that etcd can end while its context is live, reads it,
//     and on the closed channel (or a response that says the watch ended)
//     returns without telling anyone: it has no result, or returns a nil
//     error, or returns ctx.Err() without testing it (nil while the context
//     is live: "a closed channel returned as success"). A watch etcd can end
//     while its context is live is one opened WithRev(r) with r not a
//     constant 0 (ErrCompacted), one on a WithRequireLeader context
//     (ErrNoLeader), or one on a context that never ends
//     (context.Background/TODO, or derived from them with a cancel func
//     called only in a defer), which etcd's comment says closes only on a
//     server error. The component silently stops following changes.
//     A watch that only compaction can end (WithRev, no WithRequireLeader)
//     is judged by how the consumer handles the response that says so:
//     the client delivers ErrCompacted as a response with Canceled and
//     CompactRevision set, queued like events, and closes the channel only
//     after it was received (client/v3 watch.go, serveSubstream), so a
//     consumer that passes that response's Err() on (or re-watches) sees
//     every compaction, and its return on the closed channel is a return
//     after its own context ended (pingcap/tiflow's DM watch helpers).
//  3. Re-watch from the same compacted revision: a retry loop re-opens a
//     watch WithRev(r) each time it ends while r never changes in the loop
//     (not advanced past the events applied, not reloaded from a Get or
//     CompactRevision), and nothing in the loop refers to ErrCompacted or
//     CompactRevision: after one compaction every attempt fails at once.
//  4. Retry without pause: a retry loop re-opens a watch as soon as the
//     previous one ended, and some path from one attempt to the next has no
//     pause: no time.Sleep of at least 1 ms (a constant below 1 ms is no
//     pause: a server cancellation is a round trip on an open stream, under
//     a millisecond on a local network, so the loop stays bound by the
//     server's answers), no receive from a timer or another channel, no
//     blocking select without the watch's channel, no call of a function
//     that pauses on every path (fact pauses, in this package or another,
//     or a function outside etcd's reach named Wait*, Sleep*, Backoff or
//     Pause). A backoff created and reset but never waited on is no pause.
//     While etcd keeps cancelling, the loop hammers the server.
//  5. A restart loop on a channel that stays closed: a for {} or for cond
//     {} loop (no context in cond) selects on the Done channel of an etcd
//     session (concurrency.Session.Done: closed once the session's lease
//     is gone, and never reopened), of the client's own context
//     (Client.Ctx().Done(): cancelled when the client is closed), or of the
//     context a type holding an etcd client hands out (a method with no
//     arguments returning a context.Context on a struct with a
//     *clientv3.Client field: the context the wrapper's client lives on),
//     and that case neither leaves the loop nor pauses (as in rule 4, in
//     the source of the case: a time.Sleep of at least 1 ms, a receive, a
//     select without default, a call named Wait*, Sleep*, Backoff or
//     Pause), while the loop does not assign the session, client or holder
//     the channel came from. When the restart the case runs fails, the
//     next pass finds the same closed channel, and the loop spins on a
//     core, logging and calling etcd on every pass (apache/dubbo-go's
//     facade restart loop, which sleeps 10 µs after a failed restart). A
//     case that replaces the session (s = newSession) waits on the new
//     channel next time and is not reported.
//
// A retry loop is a for {} or for cond {} loop (not a range, not a counted
// loop) that on every iteration calls a function that follows a watch to
// its end (fact until), or opens a watch whose channel an inner loop reads
// until it ends.
//
// A function literal (a goroutine a constructor starts, a callback) is
// judged like a function of its own, except that one its parent runs
// again (called or started in a loop, or handed to wait.Until and the
// like) leaves the end of its watch to that loop, as a named function
// called in a loop does.
//
// The pass exports the fact watches(...) on the application's functions:
// opens (returns a WatchChan it opened), until (opens a watch and returns
// when it ends), rev(i) (the parameters the WithRev revision comes from),
// ctx(i) (the parameters the watch's context comes from: a caller that
// consumes the channel a helper or an interface method opened is judged
// on the context it passed, as if it had called Watch itself), pauses
// (every path waits); an interface method gets what all the
// implementations its package sees share (its own, and those of packages
// it imports that have a fact). At a call through an interface the same
// holds for every implementation the call may reach: one of the caller's
// own that does not wait makes the call one that may not.
//
// What it does not report:
//
//   - receives with the ", ok" form and loops that leave on !ok; a
//     response test that returns, breaks out or re-watches (the Canceled
//     response etcd posts before a server cancellation ends such loops);
//     a select with a ctx.Done() case when the watch's context is not seen
//     in the function (a parameter, a field): it may well be the same;
//   - a for range over a watch without WithRev, on a context that can end,
//     that simply returns when the channel closes: the watch ends with its
//     context, and so does the consumer (etcd's leasing and grpcproxy code
//     follow watches this way);
//   - a consumer that returns a non-nil error, a result its caller tests
//     (a bool, a revision), closes or sends on a channel (also in a defer:
//     etcd's Election.Observe closes its output channel when the watch is
//     disrupted, as documented), calls a callback, panics, or opens the
//     watch again;
//   - watches the function cancels itself (a cancel func called, stored or
//     passed on other than in a defer): the end may be its own;
//   - a return reached after the path tested ctx.Err() or waited on
//     ctx.Done(), or on another channel of struct{} (a stop channel, a
//     closer's CloseNotify): it answers the context's end or the owner's
//     request to stop (etcd's leasing monitorLease re-watches from a
//     fresh Get unless its context ended). The same holds for a path that
//     waits for the stop signal after the watch ended and then returns,
//     which leaves the keys unfollowed until then: not reported;
//   - a consumer that a function of the package calls in a loop: that loop
//     is the retry, judged by rules 3 and 4;
//   - a loop around a function that can return after an ordinary event
//     (it waits for one change, as etcd's leasing waitRescind waits for a
//     key's deletion, or for enough of them, as v3discovery's waitPeers
//     does): such a loop is driven by events, and the pass cannot tell
//     the event's return from the watch's end;
//   - loops that re-open a watch only on some iterations (if wch == nil
//     { wch = Watch(...) }), whose pauses cannot be matched to attempts;
//   - a revision computed in the loop, loaded from a variable the loop
//     writes, a field or a call's result (it may be reloaded);
//   - a watch channel handed to another function that reads it (a
//     consume(wch) helper): the helper's return goes back to a caller the
//     pass would have to follow to know whether it re-watches;
//   - test code (flag -include-tests): a test's watch ends with the test.
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "lostwatch" (receives and CPU of a loop spinning on a watch etcd
// cancelled).
//
// Flags:
//
//	-include-tests   also check test code
//
// Example:
//
//	wch := cli.Watch(ctx, key)
//	for {
//		select {
//		case resp := <-wch: // spins once wch is closed
//			apply(resp.Events)
//		case <-stop:
//			return
//		}
//	}
//
// Fix: receive with resp, ok := <-wch; when !ok or resp.Err() != nil,
// return the error or re-watch from the last revision applied + 1 (or from
// a fresh Get after ErrCompacted), after a pause.
package lostwatch
