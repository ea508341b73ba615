package watchleak

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// Sessions opened once per process.
//
// A session that is never closed keeps its lease until the process exits,
// and etcd keeps the lease for its TTL after that. When the function that
// opened it runs once per process, what outlives the process is only what
// the lease holds: a lock, a leadership or a key put with WithLease, which
// every other holder then waits for until the TTL runs out. An empty lease
// lingering for its TTL costs nothing.

// heldKey is a key under a session's lease still held where a function
// returns.
type heldKey struct {
	what  string          // "the key of Mutex.Lock", ...
	instr ssa.Instruction // where it is acquired, in the function that opened the session
	ret   token.Pos       // the return that leaves it held (NoPos: not known)
}

// openedOnce reports whether o, a session, is opened in a function that
// runs once per process, outside its loops.
func (c *Checker) openedOnce(o opening) bool {
	return o.main && c.once.Runs(o.call.Parent()) && c.iteration(o) == nil &&
		!c.loopsOf(o.call.Parent()).InLoop(o.call.Block())
}

// keyHeldAtReturn returns a key under the session's lease (o, tracked as
// f) that can still be held when the function that opened it returns
// successfully: acquired (Mutex.Lock, TryLock, Election.Campaign, a
// NewLocker's Lock, ResumeElection, a key put under Session.Lease()) on a
// path to a return that neither releases it (Unlock, Resign, also
// deferred or in a literal called there) nor returns a non-nil error. A
// session passed to a function other than etcd's, or a Mutex or Election
// that leaves the function (passed on, stored, returned), counts as
// holding a key from there on.
func (c *Checker) keyHeldAtReturn(o opening, f *fate) (heldKey, bool) {
	fn := o.call.Parent()
	var acquired []heldKey
	var holders []*ssa.Call
	releases := map[ssa.Instruction]bool{}
	for _, v := range sortedVals(f.vals) {
		for _, r := range *v.Referrers() {
			call, ok := r.(ssa.CallInstruction)
			if !ok || !passes(call.Common(), v) {
				continue
			}
			callee := dataflow.Callee(call.Common())
			if callee == nil || callee.Pkg() == nil || !etcdapi.IsEtcdModule(callee.Pkg().Path()) {
				acquired = append(acquired, heldKey{what: "whatever its lease holds (the session is passed on here)", instr: call})
				continue
			}
			if op, ok := etcdapi.Lookup(callee); ok && op.Kind == etcdapi.Close && dataflow.Arg(call.Common(), -1) == v {
				releases[call] = true // Session.Close revokes the lease
				continue
			}
			switch etcdapi.SessionKeyOf(callee) {
			case etcdapi.KeyHolder:
				if hc, ok := call.(*ssa.Call); ok {
					holders = append(holders, hc)
				}
			case etcdapi.KeyHeld:
				acquired = append(acquired, heldKey{what: "a key under its lease (" + dataflow.FuncName(callee) + ")", instr: call})
				if hc, ok := call.(*ssa.Call); ok && callee.Signature().Recv() == nil {
					holders = append(holders, hc) // ResumeElection: Resign releases it
				}
			}
		}
	}
	for _, h := range holders {
		hf := c.track(h, h.Block())
		for _, v := range sortedVals(hf.vals) {
			for _, r := range *v.Referrers() {
				switch r := r.(type) {
				case ssa.CallInstruction:
					common := r.Common()
					if !passes(common, v) {
						continue
					}
					callee := dataflow.Callee(common)
					switch k := etcdapi.SessionKeyOf(callee); {
					case k == etcdapi.KeyAcquire && dataflow.Arg(common, -1) == v:
						acquired = append(acquired, heldKey{what: "the key of " + dataflow.FuncName(callee), instr: r})
					case k == etcdapi.KeyRelease && dataflow.Arg(common, -1) == v:
						releases[r] = true
					case callee != nil && callee.Pkg() != nil && etcdapi.IsEtcdModule(callee.Pkg().Path()):
					default:
						acquired = append(acquired, heldKey{what: "the key of a lock or election taken elsewhere (passed on here)", instr: r})
					}
				case *ssa.Store:
					if _, local := r.Addr.(*ssa.Alloc); r.Val == v && !local {
						acquired = append(acquired, heldKey{what: "the key of a lock or election taken elsewhere (stored here)", instr: r})
					}
				case *ssa.MakeClosure:
					if !runHere(r) {
						acquired = append(acquired, heldKey{what: "the key of a lock or election taken elsewhere (captured here)", instr: r})
					}
				case *ssa.Return, *ssa.Send, *ssa.MapUpdate:
					acquired = append(acquired, heldKey{what: "the key of a lock or election taken elsewhere (handed off here)", instr: r})
				}
			}
		}
	}
	rel := map[ssa.Instruction]bool{}
	for r := range releases {
		if a, direct := anchorIn(fn, r); a != nil && direct {
			rel[a] = true
		}
	}
	for _, a := range acquired {
		at, _ := anchorIn(fn, a.instr)
		if at == nil {
			at = o.call // nested elsewhere: held from the opening on
		}
		if ret, held := heldAt(fn, at, rel); held {
			a.instr, a.ret = at, ret
			return a, true
		}
	}
	return heldKey{}, false
}

// sortedVals returns the values of vals that have referrers, in a fixed
// order (by position, function and name).
func sortedVals(vals map[ssa.Value]bool) []ssa.Value {
	var out []ssa.Value
	for v := range vals {
		if v.Referrers() != nil {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pos() != out[j].Pos() {
			return out[i].Pos() < out[j].Pos()
		}
		if fi, fj := funcName(out[i]), funcName(out[j]); fi != fj {
			return fi < fj
		}
		return out[i].Name() < out[j].Name()
	})
	return out
}

func funcName(v ssa.Value) string {
	if fn := v.Parent(); fn != nil {
		return fn.String()
	}
	return ""
}

// passes reports whether v is an argument or the receiver of call.
func passes(common *ssa.CallCommon, v ssa.Value) bool {
	if common.Value == v && common.IsInvoke() {
		return true
	}
	for _, a := range common.Args {
		if a == v {
			return true
		}
	}
	return false
}

// runHere reports whether the literal mc makes is only called, deferred or
// started where it is made (the tracker follows it there).
func runHere(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			if r.Common().Value != mc {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// anchorIn returns the instruction of fn that runs instr: instr itself, or
// for an instruction of a function literal nested in fn, the call, defer
// or go statement that runs the literal (direct is false for a go
// statement, or the literal's MakeClosure when it is passed elsewhere).
func anchorIn(fn *ssa.Function, instr ssa.Instruction) (ssa.Instruction, bool) {
	direct := true
	for depth := 0; instr != nil && instr.Parent() != fn; depth++ {
		lit := instr.Parent()
		if lit.Parent() == nil || depth > 8 {
			return nil, false
		}
		instr = nil
		for _, b := range lit.Parent().Blocks {
			for _, x := range b.Instrs {
				switch x := x.(type) {
				case *ssa.MakeClosure:
					if x.Fn != lit || instr != nil {
						continue
					}
					instr = x
					direct = false
					for _, r := range *x.Referrers() {
						if call, ok := r.(ssa.CallInstruction); ok && call.Common().Value == x {
							instr = call
							_, isGo := call.(*ssa.Go)
							direct = !isGo
						}
					}
				case ssa.CallInstruction:
					if x.Common().Value == lit && instr == nil {
						instr = x
						_, isGo := x.(*ssa.Go)
						direct = direct && !isGo
					}
				}
			}
		}
	}
	return instr, direct && instr != nil
}

// heldAt looks, in fn, for a path from at to a return that runs no release
// first and does not return a non-nil error, and returns that return.
func heldAt(fn *ssa.Function, at ssa.Instruction, releases map[ssa.Instruction]bool) (token.Pos, bool) {
	start := at.Block()
	idx := indexOf(start, at)
	stop := map[*ssa.BasicBlock]bool{}
	for r := range releases {
		b := r.Block()
		if _, deferred := r.(*ssa.Defer); deferred && (b == start || b.Dominates(start)) {
			return token.NoPos, false // runs at every return after it
		}
		if b == start {
			if indexOf(b, r) > idx {
				return token.NoPos, false
			}
			continue
		}
		stop[b] = true
	}
	seen := map[*ssa.BasicBlock]bool{start: true}
	queue := []*ssa.BasicBlock{start}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if len(b.Instrs) > 0 {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && !errorReturn(fn, ret) {
				p := ret.Pos()
				if !p.IsValid() {
					p = closingBrace(fn)
				}
				return p, true
			}
		}
		for _, s := range b.Succs {
			if !seen[s] && !stop[s] {
				seen[s] = true
				queue = append(queue, s)
			}
		}
	}
	return token.NoPos, false
}

func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, x := range b.Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// errorReturn reports whether ret returns a non-nil error as fn's last
// result: the function failed, and the process with it.
func errorReturn(fn *ssa.Function, ret *ssa.Return) bool {
	res := fn.Signature.Results()
	if res.Len() == 0 || len(ret.Results) != res.Len() ||
		!types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	return nonNilErr(ret.Results[len(ret.Results)-1], ret.Block(), 0)
}

// nonNilErr reports whether the error v is known not to be nil in block b:
// a concrete value made into an error, errors.New or fmt.Errorf, or a
// value b is reached from only where it was tested not nil.
func nonNilErr(v ssa.Value, b *ssa.BasicBlock, depth int) bool {
	if depth > 4 || v == nil {
		return false
	}
	switch x := v.(type) {
	case *ssa.Const:
		return false
	case *ssa.MakeInterface:
		return true
	case *ssa.Call:
		if fn := dataflow.Callee(&x.Call); fn != nil && fn.Pkg() != nil && fn.Signature().Recv() == nil {
			switch fn.Pkg().Path() + "." + fn.Name() {
			case "errors.New", "fmt.Errorf":
				return true
			}
		}
	case *ssa.Phi:
		if len(x.Edges) == 0 || len(x.Edges) != len(x.Block().Preds) {
			return false
		}
		for i, e := range x.Edges {
			if !nonNilErr(e, x.Block().Preds[i], depth+1) {
				return false
			}
		}
		return true
	}
	// if v != nil { ... return v }
	for d := b; d != nil; d = d.Idom() {
		for _, p := range d.Preds {
			iff, ok := dataflow.LastIf(p)
			if !ok || len(d.Preds) != 1 {
				continue
			}
			cmp, ok := iff.Cond.(*ssa.BinOp)
			if !ok || nonNil(cmp) != v {
				continue
			}
			if (cmp.Op == token.NEQ && p.Succs[0] == d) || (cmp.Op == token.EQL && p.Succs[1] == d) {
				return true
			}
		}
	}
	return false
}

// reportHeldAtExit reports a session opened once per process that can
// return with a key under its lease still held.
func (c *Checker) reportHeldAtExit(o opening, k heldKey) {
	msg := fmt.Sprintf("session from %s is never closed and %s can still be held when this function returns: "+
		"the process ends, but etcd keeps the session's lease and every key under it until its TTL (%d s unless WithTTL) "+
		"runs out, so every other holder waits for a process that is gone; release it (Unlock, Resign) or Close the session before returning",
		o.name, k.what, etcdapi.SessionDefaultTTL)
	d := c.diag(o, msg, categoryOf(o.kind))
	if p := k.instr.Pos(); p.IsValid() && p != o.call.Pos() {
		d.Related = append(d.Related, report.Related(p, "acquired here"))
	}
	if k.ret.IsValid() {
		d.Related = append(d.Related, report.Related(k.ret, "returns here still holding it"))
	}
	c.Reporter.Report(d)
}
