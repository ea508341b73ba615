package watchleak

import (
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
)

// A clientv3.Watcher holds nothing of its own: NewWatcher builds a struct
// with an empty map of streams, and the first Watch on a context opens the
// gRPC stream for that context and its goroutine (client/v3/watch.go
// NewWatchFromWatchClient, newWatcherGRPCStream). When the last watch of a
// stream ends (its context is done), the stream's run loop returns ("no
// more watchers on this stream, shutdown") and closeStream removes it from
// the Watcher. So a Watcher leaks only through a watch still open on it.

// watchPoints returns the blocks of the function that opened the Watcher of
// o where it may be watched: any use by a call other than etcd's Close
// (a Watch, or a function that may watch on it), and the literals that
// capture it. Nil when o is not a Watcher.
func (c *Checker) watchPoints(o opening, f *fate) map[*ssa.BasicBlock]bool {
	if o.kind != etcdapi.ResWatcher || o.op == nil {
		return nil // a helper's Watcher may be watched inside it
	}
	fn := o.call.Parent()
	out := map[*ssa.BasicBlock]bool{}
	for v := range f.vals {
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			if r.Block() == nil || r.Parent() != fn {
				continue
			}
			switch r := r.(type) {
			case *ssa.MakeClosure:
				out[r.Block()] = true
			case ssa.CallInstruction:
				if op, ok := etcdapi.Lookup(dataflow.Callee(r.Common())); ok && op.Kind == etcdapi.Close {
					continue
				}
				out[r.Block()] = true
			}
		}
	}
	return out
}

// watchesEnd reports whether every watch made on the Watcher of o runs on
// a context that ends in the function that opens it: a WithCancel whose
// cancel the function uses, or a context with a deadline. The Watcher is
// then empty once those watches end, closed or not. A Watcher passed to
// any other function, stored or returned may be watched on any context.
func (c *Checker) watchesEnd(o opening, f *fate) bool {
	if o.kind != etcdapi.ResWatcher || o.op == nil || f.handedOff || f.gaveUp {
		return false
	}
	for v := range f.vals {
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			call, ok := r.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := call.Common()
			if common.Value == v && !common.IsInvoke() {
				continue // a literal holding it, followed through f.vals
			}
			op, ok := etcdapi.Lookup(dataflow.Callee(common))
			if !ok {
				return false
			}
			if op.Kind == etcdapi.Wrap {
				return false // namespace.NewWatcher: watched through the view
			}
			if op.Kind != etcdapi.Watch {
				continue // Close, RequestProgress: no stream of their own
			}
			if _, isCall := call.(*ssa.Call); !isCall || op.Ctx < 0 {
				return false
			}
			if !endsHere(dataflow.Arg(common, op.Ctx), o.call.Parent(), map[ssa.Value]bool{}) {
				return false
			}
		}
	}
	return true
}

// endsHere reports whether the context ctx ends in fn (or a literal in
// it): made there by a WithCancel whose cancel is used, or with a deadline.
// A context with several origins (a phi) must end on each.
func endsHere(ctx ssa.Value, fn *ssa.Function, seen map[ssa.Value]bool) bool {
	if ctx == nil {
		return false
	}
	if phi, ok := ctx.(*ssa.Phi); ok {
		if seen[phi] {
			return true
		}
		seen[phi] = true
		for _, e := range phi.Edges {
			if !endsHere(e, fn, seen) {
				return false
			}
		}
		return len(phi.Edges) > 0
	}
	cc := summary.ClassifyCtx(ctx)
	if cc.Class != summary.CtxBounded || len(cc.Ends) == 0 {
		return false
	}
	for _, end := range cc.Ends {
		if outermost(end.Parent()) != outermost(fn) {
			return false
		}
	}
	return true
}

// ownedByResult reports whether the watch of o, returned by a helper
// together with the Watcher or Client it is made on, is ended by the caller
// through that result: closed there (closing a Watcher or Client ends all
// its watches), or reported as leaked itself.
func (c *Checker) ownedByResult(o opening) bool {
	if o.on <= 0 || o.op != nil {
		return false
	}
	held := false
	for _, ce := range c.res.Callees(&o.call.Call) {
		for _, r := range ce.Sum.Returns {
			k := etcdapi.ParseResource(r.Resource)
			if r.Index == o.on-1 && (k == etcdapi.ResWatcher || k == etcdapi.ResClient) {
				held = true
			}
		}
	}
	if !held {
		return false // not one the caller is made to release
	}
	w := opening{call: o.call, index: o.on - 1}.value()
	if w == nil {
		return false
	}
	f := c.track(w, o.call.Block())
	for _, s := range f.sites {
		if s.block == o.call.Block() && !s.deferred {
			// A Close in the opening's own block may be of the Watcher
			// before it (closed, then opened again), which leakPath does
			// not tell apart: judge the watch itself.
			return false
		}
	}
	return f.released || (!f.handedOff && !f.goroutine && !o.main)
}
