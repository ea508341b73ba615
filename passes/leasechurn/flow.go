package leasechurn

import (
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// use is what a function does with one granted lease.
type use struct {
	// ends are the instructions after which the lease is no longer the
	// function's to drop: a Revoke of it, a store of it (or of a local
	// struct holding it) outside the function's locals, a return, a send,
	// a hand-off to a function of the application.
	ends     map[ssa.Instruction]bool
	revoked  bool
	returned int // the result that carries it, -1 when none
	kept     bool
	forever  bool        // Lease.KeepAlive of it
	keys     []ssa.Value // keys written with it (WithLease)
	writes   []ssa.Instruction
}

// maxVisit bounds one walk over a function's values.
const maxVisit = 256

// follow walks the lease value v forward through fn and the literals it
// makes, and records what happens to it.
func (c *checker) follow(v ssa.Value) *use {
	u := &use{ends: map[ssa.Instruction]bool{}, returned: -1}
	if v == nil {
		return u
	}
	work := []ssa.Value{v}
	seen := map[ssa.Value]bool{}
	end := func(instr ssa.Instruction) { u.ends[instr] = true }
	for len(work) > 0 && len(seen) < maxVisit {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Phi, *ssa.ChangeType, *ssa.Convert, *ssa.TypeAssert, *ssa.MakeInterface:
				work = append(work, r.(ssa.Value))
			case *ssa.UnOp:
				if r.Op == token.MUL {
					work = append(work, r)
				}
			case *ssa.FieldAddr:
				if leaseField(r.Type()) {
					work = append(work, r)
				}
			case *ssa.Field:
				if etcdapi.IsLeaseID(r.Type()) {
					work = append(work, r)
				}
			case *ssa.Store:
				if r.Val != x {
					continue
				}
				if base := localBase(r.Addr); base != nil {
					work = append(work, base)
					if base != r.Addr {
						work = append(work, r.Addr)
					}
					continue
				}
				u.kept = true
				end(r)
			case *ssa.MapUpdate:
				if r.Value == x || r.Key == x {
					u.kept = true
					end(r)
				}
			case *ssa.Send:
				if r.X == x {
					u.kept = true
					end(r)
				}
			case *ssa.Return:
				for i, res := range r.Results {
					if res == x {
						u.returned = i
						end(r)
					}
				}
			case *ssa.MakeClosure:
				fn, ok := r.Fn.(*ssa.Function)
				if !ok {
					continue
				}
				for i, b := range r.Bindings {
					if b == x && i < len(fn.FreeVars) {
						inner := c.follow(fn.FreeVars[i])
						u.merge(inner)
						if len(inner.ends) > 0 {
							end(r)
						}
					}
				}
			case ssa.CallInstruction:
				c.callUse(u, r, x)
			}
		}
	}
	return u
}

func (u *use) merge(o *use) {
	u.revoked = u.revoked || o.revoked
	u.kept = u.kept || o.kept || o.returned >= 0
	u.forever = u.forever || o.forever
	u.keys = append(u.keys, o.keys...)
	u.writes = append(u.writes, o.writes...)
}

// leaseField reports whether a field address selects a lease ID (the ID of
// a grant response, a struct's own lease field).
func leaseField(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && etcdapi.IsLeaseID(p.Elem())
}

// localBase returns the local variable (an Alloc of this function) that
// addr is, or is a field or element of; nil for anything else.
func localBase(addr ssa.Value) ssa.Value {
	for depth := 0; depth < 4; depth++ {
		switch a := addr.(type) {
		case *ssa.Alloc:
			return a
		case *ssa.FieldAddr:
			addr = a.X
		case *ssa.IndexAddr:
			addr = a.X
		default:
			return nil
		}
	}
	return nil
}

// callUse records a call that takes the lease x.
func (c *checker) callUse(u *use, call ssa.CallInstruction, x ssa.Value) {
	common := call.Common()
	if common.Value == x {
		return
	}
	callee := dataflow.Callee(common)
	switch {
	case etcdapi.IsRevoke(callee):
		if dataflow.Arg(common, etcdapi.LeaseIDArg) == x {
			u.revoked = u.revoked || !failing(call)
			u.ends[call] = true
		}
		return
	case etcdapi.IsWithLease(callee):
		if v, ok := call.(*ssa.Call); ok {
			c.attach(u, v)
		}
		return
	}
	if forever, ok := etcdapi.IsKeepAlive(callee); ok {
		u.forever = u.forever || (forever && !cancellable(dataflow.Arg(common, 0)))
		return
	}
	if _, ok := etcdapi.Lookup(callee); ok {
		return // another use through etcd's API
	}
	if b, ok := common.Value.(*ssa.Builtin); ok && b.Name() != "append" {
		return
	}
	if callee != nil && callee.Pkg() != nil && dataflow.IsStd(callee.Pkg().Path()) && !keepsValue(callee) {
		return // logged, formatted: not kept
	}
	u.kept = true
	u.ends[call] = true
}

// attach follows the OpOption a WithLease call makes to the writes that
// take it and records their keys.
func (c *checker) attach(u *use, opt *ssa.Call) {
	work := []ssa.Value{opt}
	seen := map[ssa.Value]bool{}
	for len(work) > 0 && len(seen) < maxVisit {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Phi, *ssa.Slice, *ssa.ChangeType:
				work = append(work, r.(ssa.Value))
			case *ssa.Store:
				if base := localBase(r.Addr); base != nil && r.Val == x {
					work = append(work, base)
				}
			case *ssa.IndexAddr:
				work = append(work, r)
			case *ssa.UnOp:
				if r.Op == token.MUL {
					work = append(work, r)
				}
			case ssa.CallInstruction:
				c.writeUse(u, r, x, &work)
			}
		}
	}
}

// writeUse records a write that carries the lease option: a Put or OpPut
// (its key), a wrapper that writes (the arguments its key comes from), or
// append, whose result carries the option on.
func (c *checker) writeUse(u *use, call ssa.CallInstruction, opts ssa.Value, work *[]ssa.Value) {
	common := call.Common()
	if b, ok := common.Value.(*ssa.Builtin); ok {
		if b.Name() == "append" {
			if v, ok := call.(*ssa.Call); ok {
				*work = append(*work, v)
			}
		}
		return
	}
	callee := dataflow.Callee(common)
	if op, ok := etcdapi.Lookup(callee); ok {
		if op.Kind == etcdapi.Put && op.Key >= 0 {
			u.writes = append(u.writes, call)
			if k := dataflow.Arg(common, op.Key); k != nil {
				u.keys = append(u.keys, k)
			}
		}
		return
	}
	for _, callee := range c.res.Callees(common) {
		if callee.Sum == nil || len(callee.Sum.Key) == 0 {
			continue
		}
		u.writes = append(u.writes, call)
		for _, i := range callee.Sum.Key {
			if k := dataflow.Arg(common, i); k != nil {
				u.keys = append(u.keys, k)
			}
		}
		return
	}
}

// endsIn reports whether block b holds an instruction that ends the lease,
// after instr when instr is in b.
func (u *use) endsIn(b *ssa.BasicBlock, after ssa.Instruction) bool {
	started := after == nil || after.Block() != b
	for _, instr := range b.Instrs {
		if !started {
			if instr == after {
				started = true
			}
			continue
		}
		if u.ends[instr] {
			return true
		}
	}
	return false
}

// dropped reports whether a path leads from the grant back to the loop's
// header on which nothing ends the lease: the next iteration grants
// another while this one is left to expire (or kept alive) unrevoked.
func dropped(l *dataflow.Loop, grant ssa.Instruction, u *use) bool {
	if u.endsIn(grant.Block(), grant) {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), grantedSuccs(grant.Block(), errorOf(grant.(ssa.CallInstruction)))...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == l.Header {
			return true
		}
		if seen[b] || !l.Contains(b) || u.endsIn(b, nil) {
			continue
		}
		seen[b] = true
		work = append(work, grantedSuccs(b, errorOf(grant.(ssa.CallInstruction)))...)
	}
	return false
}

// grantedSuccs returns b's successors, only the nil side when b ends in a
// test of the grant's own error errv: when the grant failed there is no
// lease to drop.
func grantedSuccs(b *ssa.BasicBlock, errv ssa.Value) []*ssa.BasicBlock {
	if errv == nil || len(b.Instrs) == 0 || len(b.Succs) != 2 {
		return b.Succs
	}
	ifi, ok := dataflow.LastIf(b)
	if !ok {
		return b.Succs
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || (cmp.X != errv && cmp.Y != errv) {
		return b.Succs
	}
	return successSuccs(b)
}

// repeatsOnSuccess reports whether, once the grant succeeded, a path leads
// back to the loop's header that takes only the success side of every
// error check: the loop grants again after a grant that worked. A retry
// loop that leaves once the grant (and what follows it) succeeds does not.
func repeatsOnSuccess(l *dataflow.Loop, grant ssa.Instruction) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{grant.Block()}
	first := true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if !first && b == l.Header {
			return true
		}
		first = false
		if seen[b] || !l.Contains(b) {
			continue
		}
		seen[b] = true
		work = append(work, successSuccs(b)...)
	}
	return false
}

// successSuccs returns b's successors, only the nil side when b ends in a
// test of an error against nil, only the true side when it tests a Txn
// response's Succeeded: a compare that failed is an attempt that did not
// take effect (the Then ops, the Put with the lease, did not run), like
// an error.
func successSuccs(b *ssa.BasicBlock) []*ssa.BasicBlock {
	if tested, side := dataflow.SuccessSide(b); side >= 0 && dataflow.IsSucceeded(tested) {
		return b.Succs[side : side+1]
	}
	if len(b.Instrs) == 0 || len(b.Succs) != 2 {
		return b.Succs
	}
	ifi, ok := dataflow.LastIf(b)
	if !ok {
		return b.Succs
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
		return b.Succs
	}
	if !isNilError(cmp.X, cmp.Y) && !isNilError(cmp.Y, cmp.X) {
		return b.Succs
	}
	if cmp.Op == token.EQL {
		return b.Succs[:1] // err == nil: the then branch
	}
	return b.Succs[1:] // err != nil: the else branch
}

func isNilError(errv, nilv ssa.Value) bool {
	k, ok := nilv.(*ssa.Const)
	return ok && k.IsNil() && isError(errv.Type())
}

// varies reports whether v depends on a value that changes from one
// iteration of l (in fn) to the next: the loop's counter or element, a
// receive, a value computed from them.
func varies(fn *ssa.Function, l *dataflow.Loop, v ssa.Value) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if v == nil || seen[v] || depth > 24 || len(seen) > maxVisit {
			return false
		}
		seen[v] = true
		switch v := v.(type) {
		case *ssa.FreeVar:
			b := dataflow.Binding(v)
			if b == nil {
				return false
			}
			if instr, ok := b.(ssa.Instruction); ok && instr.Parent() == fn {
				return walk(b, depth+1)
			}
			return false
		case *ssa.Alloc:
			refs := v.Referrers()
			if refs == nil {
				return false
			}
			for _, r := range *refs {
				if st, ok := r.(*ssa.Store); ok && st.Addr == v && walk(st.Val, depth+1) {
					return true
				}
			}
			return false
		}
		instr, ok := v.(ssa.Instruction)
		if !ok {
			return false
		}
		if instr.Parent() == fn && l.Contains(instr.Block()) {
			switch v := v.(type) {
			case *ssa.Phi, *ssa.Next:
				return true
			case *ssa.UnOp:
				if v.Op == token.ARROW {
					return true
				}
			}
		} else if instr.Parent() == fn {
			return false // computed before the loop
		}
		var ops []*ssa.Value
		for _, op := range instr.Operands(ops) {
			if op != nil && *op != nil && walk(*op, depth+1) {
				return true
			}
		}
		return false
	}
	return walk(v, 0)
}

// failing reports whether every return instr can reach returns an error
// that is not nil: a revoke there cleans up after a failure (the
// keep-alive could not start), it does not release a lease in use.
func failing(instr ssa.Instruction) bool {
	if _, ok := instr.(*ssa.Defer); ok {
		return false // runs on every return
	}
	fn := instr.Parent()
	res := fn.Signature.Results()
	if res.Len() == 0 || !isError(res.At(res.Len()-1).Type()) {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{instr.Block()}
	returns := 0
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if len(b.Instrs) > 0 {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				returns++
				if len(ret.Results) == 0 {
					return false
				}
				if nilResult(b, ret.Results[len(ret.Results)-1]) {
					return false
				}
				if p, ok := ret.Results[len(ret.Results)-1].(*ssa.Phi); ok && mayBeNil(p) {
					return false
				}
			}
		}
		work = append(work, b.Succs...)
	}
	return returns > 0
}

// mayBeNil reports whether a phi of error values has a nil constant edge.
func mayBeNil(p *ssa.Phi) bool {
	for _, e := range p.Edges {
		if k, ok := e.(*ssa.Const); ok && k.IsNil() {
			return true
		}
	}
	return false
}

// paramsOf returns the parameters of fn (-1 is the receiver) that v is
// built from, through operations and the arguments of calls.
func paramsOf(fn *ssa.Function, v ssa.Value) []int {
	var out []int
	seen := map[ssa.Value]bool{}
	work := []ssa.Value{v}
	for len(work) > 0 && len(seen) < maxVisit {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == nil || seen[x] {
			continue
		}
		seen[x] = true
		switch x := x.(type) {
		case *ssa.Parameter:
			if i, ok := dataflow.ParamIndex(x, fn); ok && !slices.Contains(out, i) {
				out = append(out, i)
			}
			continue
		case *ssa.FreeVar:
			work = append(work, dataflow.Binding(x))
			continue
		case *ssa.Alloc:
			if refs := x.Referrers(); refs != nil {
				for _, r := range *refs {
					if st, ok := r.(*ssa.Store); ok && st.Addr == x {
						work = append(work, st.Val)
					}
				}
			}
			continue
		}
		instr, ok := x.(ssa.Instruction)
		if !ok {
			continue
		}
		var ops []*ssa.Value
		for _, op := range instr.Operands(ops) {
			if op != nil && *op != nil {
				work = append(work, *op)
			}
		}
	}
	sort.Ints(out)
	return out
}

// nilResult reports whether the error v a return in b gives back is nil:
// a nil constant, or (in a function with defers) a load of the result
// variable that b last set to nil.
func nilResult(b *ssa.BasicBlock, v ssa.Value) bool {
	if k, ok := v.(*ssa.Const); ok {
		return k.IsNil()
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	var last ssa.Value
	for _, instr := range b.Instrs {
		if st, ok := instr.(*ssa.Store); ok && st.Addr == load.X {
			last = st.Val
		}
	}
	k, ok := last.(*ssa.Const)
	return ok && k.IsNil()
}

// cancellable reports whether ctx comes from a context.WithCancel,
// WithTimeout, WithDeadline (or their Cause forms) made in the function:
// the keep-alive then ends with that context, the lease expires after its
// TTL, and whoever holds the cancel decides when.
func cancellable(ctx ssa.Value) bool {
	for depth := 0; ctx != nil && depth < 8; depth++ {
		switch v := ctx.(type) {
		case *ssa.Extract:
			ctx = v.Tuple
		case *ssa.Phi:
			for _, e := range v.Edges {
				if cancellable(e) {
					return true
				}
			}
			return false
		case *ssa.Call:
			fn := dataflow.Callee(v.Common())
			if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
				return false
			}
			switch fn.Name() {
			case "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
				return true
			}
			return false
		default:
			return false
		}
	}
	return false
}

// keepsValue reports whether fn, a function of the standard library, keeps
// what it is given for later readers: a method of sync.Map or of a
// sync/atomic type (Store, Swap, LoadOrStore).
func keepsValue(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "sync":
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		return ok && n.Obj().Name() == "Map"
	case "sync/atomic":
		return true
	}
	return false
}
