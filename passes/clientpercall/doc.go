// Package clientpercall defines an Analyzer that reports etcd clients
// dialled once per loop iteration, per request or per call of a function
// that runs per item.
//
// # Analyzer clientpercall
//
// clientpercall: report an etcd client dialled per request or per iteration
//
// A *clientv3.Client is a gRPC connection with its own goroutines, its own
// watch stream and its own lease keep-alive stream. clientv3's
// documentation says to close every client ("If the client is not closed,
// the connection will have leaky goroutines") and to reuse clients rather
// than create them as needed; etcd's maintainers answer the question the
// same way (etcd-io/etcd#8577: "A client means an application"). A client
// dialled per request and never closed leaks its connection and goroutines
// on every request; one dialled per request and closed still pays a new
// connection each time and, with auth enabled, an Authenticate call, which
// is a raft entry, and a simple token the server keeps for 300 s
// (--auth-token-ttl). Health checkers that dialled one client per member
// and never closed them are a known source of goroutine growth
// (aws/etcdadm-controller#42).
//
// What it reports:
//
// A call of clientv3.New, NewFromURL or NewFromURLs, or of a function of
// the application (in this package or another, a function, a method or an
// interface method) that dials a new client on every call, when the call
// runs:
//
//   - on every iteration of a loop, unless the loop has a constant trip
//     count or is a retry/failover loop that leaves as soon as the dial
//     returns a nil error;
//   - on every request of an HTTP handler: a function or method with the
//     signature of http.HandlerFunc (a ServeHTTP method, a method value
//     passed to HandleFunc, a function literal registered as a handler);
//   - on every call of a unary gRPC service method: a method taking
//     (context.Context, *Req) and returning (*Resp, error), where Req and
//     Resp are protobuf messages (they have a ProtoMessage method);
//   - on every run of a function that runs once per period: one that
//     Kubernetes' wait.Until (and the other wait functions hotkey lists)
//     runs, or a declared function or method that time.AfterFunc runs and
//     that re-arms itself (Reset on the timer AfterFunc returned, kept in
//     the same field or package variable, or AfterFunc with itself again):
//     a health check that dials the cluster every 10 s from such a
//     callback opens a connection per period for the life of the program;
//   - in a function literal that its parent calls, defers or starts as a
//     goroutine in such a place;
//
// and either the client is never closed, returned or handed off (a leak
// per iteration or request), or its configuration does not depend on the
// iteration or the request (the same client dialled again and again,
// closed or not).
//
// A client per component: a call of a constructor that dials its own
// client from the configuration it is given and returns it, alone or in
// the component it builds (a registry, a lock service, a store), when the
// same function has already called such a constructor with the same
// configuration (the same parameter, variable or field of one, unchanged
// in between, or, for a constructor that reads its own settings, the same
// constructor) and keeps both clients: the program then holds one
// connection per component to one cluster, each with its own watch and
// lease streams and, with auth, its own token. The constructor may be in
// another package (its dials fact says it dials and returns the client)
// or reached through an interface. A constructor called in a loop or per
// request is reported by the rules above.
//
// A call of an interface method dials on every call when the method's own
// fact says so (all its implementations in its package dial), or else when
// every implementation the call may reach (those of the caller's package,
// those with a dials fact in the packages it imports, or with -whole every
// one in the program) dials on every call and they agree on what the
// caller must do with the client. One implementation that dials nothing
// breaks it: a plan of executors of which one asks the cluster for its
// status does not dial per executor. The methods of function types (an
// adapter such as a ProbeFunc whose method calls the function) do not
// count either way. An implementation counts whatever else it does with
// etcd: one that dials, reads and closes is as much a callee as one that
// writes. This hides a real bug: a store interface with an etcd
// implementation that dials per call and an in-memory one for tests or a
// single-node mode is not reported where the interface is called in a
// loop; the etcd implementation's own callers in its package still are.
//
// "Dials on every call" is the fact dials(...) the pass exports on a
// function whose body dials outside any loop and not behind a cache check,
// on every path from its entry to a return that is not an error return
// (the side of an err != nil test, a return of an error made there, a
// value of a concrete error type or one built by errors or fmt, a panic): a dial on one case of a switch or one side of an
// if on the input (one statement kind of many, adding a member only when
// the membership must change) is a dial on some calls, and its callers do
// not dial per call. A dial in a failover loop or a loop with a constant
// trip count counts as a dial of every call that enters the loop, and a
// branch on a constant (a build's mode) is taken the same way on every
// call, so the side with the dial is the one that counts. A client dialled
// and never closed on some paths (a member added only when the cluster is
// too small) still leaks one connection per call that takes them: such a
// function gets the fact with "sometimes", and a call of it in a loop or
// handler is reported as a leak. This
// hides a function that dials on its common path and skips the dial on a
// rare one (a flag that disables a check): its callers in loops are not
// reported. The fact says result=i when it returns the client (alone or inside a struct: a
// per-component constructor), releases when it closes it or hands it to
// something that keeps it, leaks when it does neither; params= lists the
// parameters the configuration comes from (a configuration returned by a
// call, such as 3.6's clientv3.NewClientConfig(spec, lg) or the
// application's own builder, comes from that call's arguments).
//
// What it does not report:
//
//   - a client dialled once: in main, in init, in a constructor or a
//     function called outside loops and handlers;
//   - one client per component where that is what the program needs: a
//     component built once per process from its own configuration;
//     components on genuinely separate clusters (configurations from
//     different variables or fields, such as the settings of a discovery
//     cluster and of a data cluster, or constructors that each read their
//     own: what they share, a logger, a context, TLS material or a
//     timeout, does not name a cluster); constructors of which only one runs
//     (a switch, a fallback run only when the first dial failed); a
//     component closed (not by a defer) before the next is built; and two
//     direct clientv3.New calls, which a program may make on purpose (a
//     client kept apart for heavy watches);
//   - a client per endpoint or per request target: the configuration is
//     built from the loop's element or from the request, and the client is
//     closed in the iteration or kept (stored in a map, a field, returned)
//     — a per-member health check, a pool keyed by endpoint. That includes
//     a configuration made once before the loop whose endpoint list each
//     iteration replaces with the element's (cfg.Endpoints =
//     []string{ep}), and one handed to a goroutine per element: a client
//     pinned to one member is a probe of that member (its status, its
//     hash, a defragmentation, finding the leader), which a client shared
//     over all the endpoints cannot be, since clientv3 balances its
//     requests over them round robin (client/v3/internal/resolver). Such a
//     client is still reported when it is never closed, unless the loop is
//     in a function that runs once per process (main.main, a function
//     stored in a github.com/spf13/cobra Command's Run, RunE or its Pre
//     and Post hooks, or a helper only such functions call, outside their
//     loops: internal/dataflow Once), as a command line tool's "endpoint
//     health --cluster" does: the process ends the probes it leaves open,
//     one per member. This hides the leak in a program that executes its
//     cobra command tree more than once (a shell); the same loop in a
//     function that runs many times is reported;
//   - a client dialled behind a cache check: the dial runs only under a
//     condition on the receiver's field, a package variable or a map
//     lookup (if s.cli == nil, if c, ok := clients[ep]; !ok), or inside a
//     function literal passed to sync.Once.Do or anything else that is not
//     a direct call;
//   - retry loops (for { cli, err = clientv3.New(cfg); if err == nil {
//     break } }) and loops with a constant trip count (a counter compared
//     with a constant; a select in a loop is not one);
//   - handlers of other frameworks (gin, echo) and streaming gRPC methods,
//     which the pass does not recognise;
//   - a function a scheduler runs that is the result of a call
//     (wait.JitterUntil(probe(cfg), ...), where probe returns a literal
//     that dials): only functions and literals named at the scheduler's
//     call are judged, so the dial per period inside is not reported;
//   - dials in test code (flag -include-tests): tests often dial one
//     client per case on purpose.
//
// Test code is a _test.go file, or any file of a package that exists to
// support tests: one whose import path has an element, after the first, that
// is integration or e2e, starts with test (test, tests, testing, testutil,
// testserver), or ends in testing, testutil, testutils or testserver
// (etcdtesting, kvtestutil); an element that merely ends in test (latest,
// contest) does not count.
//
// What these findings cost a real etcd is measured in docs/evidence.md,
// section "clientpercall" (time and raft entries of a client dialled per
// request against one shared client; how long etcd keeps each dial's auth
// token).
//
// Flags:
//
//	-include-tests   also check test code
//
// Example:
//
//	func (h *API) get(w http.ResponseWriter, r *http.Request) {
//		cli, err := clientv3.New(h.cfg) // a connection per request, never closed
//		...
//	}
//
//	reg, err := registry.New(cfg.Etcd) // dials its own client
//	locks, err := locks.New(cfg.Etcd)  // a second client to the same cluster
//
// Fix: dial one client when the program starts, keep it in the handler's
// struct (or pass it to the components that need it, through
// constructors that take a client), and close it on shutdown; for
// per-member operations, use Maintenance.Status(ctx, endpoint) on the
// shared client or close each per-member client in the iteration.
package clientpercall
