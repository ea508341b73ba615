package txnops

import (
	"go/token"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"golang.org/x/tools/go/ssa"
)

// cellOf returns the local variable that the load v reads when the
// variable lives in memory because a function literal captures it (ops
// appended to by a helper closure: add := func(k string) { ops =
// append(ops, clientv3.OpDelete(k)) }), or nil.
func cellOf(v *ssa.UnOp) *ssa.Alloc {
	if v.Op != token.MUL {
		return nil
	}
	switch x := v.X.(type) {
	case *ssa.Alloc:
		if x.Heap {
			return x
		}
	case *ssa.FreeVar:
		if a, ok := dataflow.Binding(x).(*ssa.Alloc); ok && a.Heap {
			return a
		}
	}
	return nil
}

// cell is the length of the list a captured local variable holds: what
// is stored into it other than by appending to it, plus what every
// append adds, as many times as the append runs. An append runs once per
// iteration of the loop around it, and an append in a function literal
// once per call of the literal, so once per iteration of the loop around
// that call. Any other use that could change the variable (its address
// handed to a call, the literal passed on instead of called, a store
// that replaces the list inside a loop or inside a literal, as a flush
// does) leaves the length unknown.
func (k *counter) cell(a *ssa.Alloc) count {
	if !k.enter(a) {
		return unknownCount
	}
	defer k.leave(a)
	total := exactly(0)
	var stores []*ssa.Store
	var lits []*ssa.MakeClosure
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				return unknownCount
			}
			stores = append(stores, r)
		case *ssa.UnOp:
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			lits = append(lits, r)
		default:
			return unknownCount
		}
	}
	for _, mc := range lits {
		lit, ok := mc.Fn.(*ssa.Function)
		if !ok {
			return unknownCount
		}
		for i, b := range mc.Bindings {
			if b != a || i >= len(lit.FreeVars) {
				continue
			}
			fv := lit.FreeVars[i]
			for _, r := range *fv.Referrers() {
				switch r := r.(type) {
				case *ssa.Store:
					if r.Addr != fv {
						return unknownCount
					}
					stores = append(stores, r)
				case *ssa.UnOp:
				case *ssa.DebugRef:
				default:
					return unknownCount // captured again, or its address passed on
				}
			}
		}
	}
	for _, st := range stores {
		added, ok := k.appended(st)
		if !ok {
			if k.c.enclosing(st.Block()) != nil || st.Parent() != a.Parent() {
				return unknownCount // replaced inside a loop or by a helper literal: a flush
			}
			total = plus(total, k.length(st.Val))
			continue
		}
		runs, ok := k.runs(st)
		if !ok {
			return unknownCount
		}
		total = plus(total, times(runs, added))
	}
	return total
}

// appended is what the store st adds when it stores append(*cell, xs...)
// back into the cell it loaded.
func (k *counter) appended(st *ssa.Store) (count, bool) {
	call, ok := st.Val.(*ssa.Call)
	if !ok {
		return count{}, false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	if !ok || b.Name() != "append" || len(call.Call.Args) != 2 {
		return count{}, false
	}
	load, ok := call.Call.Args[0].(*ssa.UnOp)
	if !ok || load.Op != token.MUL || load.X != st.Addr {
		return count{}, false
	}
	return k.length(call.Call.Args[1]), true
}

// runs is how many times st runs: once per iteration of the loop around
// it, or, in a function literal its parent calls, once per iteration of
// the loop around that call. A literal passed anywhere but a call is not
// followed.
func (k *counter) runs(st *ssa.Store) (count, bool) {
	if l := k.c.enclosing(st.Block()); l != nil {
		return k.c.iterations(k, l), true
	}
	fn := st.Parent()
	if fn.Parent() == nil {
		return exactly(1), true
	}
	out := exactly(0)
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn {
				continue
			}
			for _, r := range *mc.Referrers() {
				call, ok := r.(*ssa.Call)
				if !ok || call.Call.Value != mc {
					if _, isRef := r.(*ssa.DebugRef); isRef {
						continue
					}
					return count{}, false
				}
				n := exactly(1)
				if l := k.c.enclosing(call.Block()); l != nil {
					n = k.c.iterations(k, l)
				}
				out = plus(out, n)
			}
		}
	}
	return out, true
}

// enclosing returns the innermost loop of b's function that contains b,
// or nil.
func (c *checker) enclosing(b *ssa.BasicBlock) *dataflow.Loop {
	var in *dataflow.Loop
	for _, l := range dataflow.Enclosing(c.loopsOf(b.Parent()), b) {
		if in == nil || len(l.Body) < len(in.Body) {
			in = l
		}
	}
	return in
}
