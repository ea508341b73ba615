// Package leasechurn defines an Analyzer that reports a new etcd lease
// granted on every tick or for every element where one lease would do.
//
// # Analyzer leasechurn
//
// leasechurn: report a lease granted per tick, element or instance instead of shared
//
// Every Lease.Grant is a raft proposal (server/etcdserver/v3_server.go
// LeaseGrant goes through raftRequest). Every live lease is held in every
// member's lessor until it is revoked or expires, and an expired lease is
// revoked by another proposal: the leader revokes expired leases with
// LeaseRevoke, at most 1000 a second (server/lease/lessor.go
// defaultLeaseRevokeRate, server/etcdserver/server.go
// revokeExpiredLeases); expired leases queue behind that limit. A lease
// kept alive costs a keep-alive request about every TTL/3
// (client/v3/lease.go, nextKeepAlive). A heartbeat that grants a fresh
// lease on every beat, or a registry that grants one lease per key for
// keys with one owner and one lifetime, multiplies all of these where one
// lease, renewed, does the same job.
//
// What it reports:
//
//   - A lease per tick: Lease.Grant (or a function of the application, in
//     this package or another, through an interface or a function literal
//     started per iteration, that grants a lease on every call) inside a
//     loop that grants again after a grant that succeeded (a ticker or
//     timer loop, an unbounded loop), when a path leads from the grant back
//     to the loop without revoking the lease or handing its ID to anything
//     that keeps it, and every key written with it is the same on every
//     iteration (or nothing is written with it: a lease granted per retry
//     and never used). Renew one lease instead.
//   - A lease per element: a grant for every element of a loop, each used
//     for that element's key, with a TTL that does not change from one
//     element to the next, and no lease revoked or kept per element. Grant
//     one lease and attach every key to it.
//   - A lease per instance: a method that grants its receiver's own lease
//     only when the receiver holds none (if l.lease == 0), keeps its ID in
//     the receiver and writes only the receiver's own key with it, when a
//     constructor of the package builds each value with that key taken
//     from its parameters (one value per address, per service, per lock):
//     N values keep N leases alive, each renewed on its own, where one
//     lease shared by all of them (a lease manager) would do.
//   - A lease per registration, kept alive forever: an exported method (a
//     registration entry point: Register, Update) whose key comes from its
//     arguments and that grants a new lease on every call, directly or
//     through a function that does, keeps it alive with Lease.KeepAlive and
//     keeps its ID nowhere (no field, map, result, nor any call outside
//     the standard library, such as another library's concurrent map, nor
//     a sync.Map or sync/atomic value, also when the ID is passed as an
//     interface value: whoever holds it can revoke it), on a context the
//     method does not make cancellable (context.WithCancel and the like
//     give whoever keeps the cancel a way to end the renewals). Nothing can revoke such a lease: every registration, and
//     every re-registration of the same key, adds one more lease renewed
//     for the life of the process, and deregistering the key leaves it.
//     A Revoke on a path that only returns an error (cleanup after a
//     keep-alive that failed to start) does not count as keeping it.
//   - A lease per run of a function that runs once per period: a grant,
//     in no loop of the function, in a callback of Kubernetes' wait.Until
//     (and the other wait functions hotkey lists) or in a declared
//     function or method that time.AfterFunc runs and that re-arms itself
//     (Reset on the timer AfterFunc returned, kept in the same field or
//     package variable, or AfterFunc with itself again), when the function
//     neither revokes the lease nor keeps its ID anywhere (a field, a
//     result, a hand-off), does not grant only while it holds none or once
//     a keep-alive lost the lease, and writes with it only keys built from
//     constants, its receiver and what it captured: every run grants one
//     more lease for the same key, as a ticker loop would.
//
// "Grants a lease on every call" is the fact grants(...) the pass exports
// on a function whose body grants outside any loop that repeats the grant,
// not behind a check of a lease ID the program holds (if l.leaseID == 0),
// and neither revokes the lease nor keeps its ID: result=i when it returns
// the lease, keys= the parameters the keys written with it come from,
// attached when it writes some key with it, forever when it keeps it
// alive with Lease.KeepAlive.
//
// What it does not report:
//
//   - per-element leases whose IDs are kept per element (stored in a map, a
//     field or a slice, sent, returned, handed to a function of the
//     application) or revoked per element: each can then be revoked or
//     expire on its own, which is what a per-element lease is for;
//   - per-element leases with a TTL computed per element: different
//     lifetimes need different leases;
//   - a grant in a retry loop that leaves once the grant and what follows
//     it succeed (every error check passed, and a Txn's Succeeded true),
//     however many times it retries. A Txn whose compare failed did not
//     run its Then: the Put under the attempt's lease never happened, and
//     that lease expires after its TTL with nothing attached. A lock
//     acquisition that creates its key under a new lease only if the key
//     is absent and sleeps and tries again while another holder has it
//     writes the key once (cloudwan/gohan's sync lock after PR #466);
//   - a grant revoked on every path before the loop comes round again;
//   - a grant that runs only once a keep-alive reported its lease gone (a
//     nil response or a closed Lease.KeepAlive channel): it replaces a
//     lease that no longer exists, which is the remedy this pass asks for;
//   - a grant that runs only once a Get of the key the lease is then
//     written to found it absent (len(resp.Kvs) == 0, resp.Count == 0, the
//     Get in the loop or in a goroutine it waits for): a key put with a
//     lease lives exactly as long as the lease, so the grant re-registers
//     after the previous lease expired or was revoked (or the key was
//     deleted), one lease at a time (a lease whose put failed expires
//     with its TTL). It is still
//     reported when the put runs on a context already cancelled: one made
//     by a function that has returned and deferred its cancel (the Get's
//     goroutine), so the key never comes back and every pass grants again;
//   - a single grant per call of a function that is not called per tick or
//     per element (its callers decide, through the fact), a lease granted
//     only when the lease the program holds is unset;
//   - a forever lease granted in an unexported function, or for a fixed
//     key: registering the process itself once;
//   - a type whose key is fixed (not built from its constructor's
//     parameters): one value per process, one lease;
//   - concurrency.NewSession (a session is a lease kept alive until Close:
//     the watchleak pass owns it);
//   - a grant in a function literal that time.AfterFunc runs and that
//     re-arms itself: only declared functions and method values given to
//     AfterFunc, and scheduler callbacks, are known to run per period
//     (hotkey reports the fixed key such a literal rewrites with each new
//     lease);
//   - grants in test code (flag -include-tests): a test's leases live as
//     long as the test.
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "leasechurn" (raft entries and live leases of a lease granted per
// tick against one renewed).
//
// Flags:
//
//	-include-tests   also check test code
//
// Example:
//
//	for range time.Tick(5 * time.Second) {
//		lease, err := cli.Grant(ctx, 15) // a new lease every 5 s
//		if err != nil {
//			continue
//		}
//		cli.Put(ctx, "/services/api/"+self, addr, clientv3.WithLease(lease.ID))
//	}
//
// Fix: grant the lease once, write the key with it, and keep it alive
// (cli.KeepAlive, draining the channel, or KeepAliveOnce on each tick);
// grant again only when the keep-alive reports the lease gone.
package leasechurn
