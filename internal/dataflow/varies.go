package dataflow

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// maxVaries bounds Varies's walk; past it a value counts as varying.
const maxVaries = 256

// Varies reports whether one of vs can change from one iteration of l to
// the next: a value computed in l from a φ or a call, a load of a local
// variable l stores to (or whose address is passed on), a load of any
// other address in l. held, when not nil, names addresses whose loads in l
// hold still when what the address is computed from does (a field nobody
// writes, a captured variable): a field address in l is then judged by its
// base, and a load from a held address by that address.
func Varies(l *Loop, vs []ssa.Value, held func(addr ssa.Value) bool) bool {
	seen := map[ssa.Value]bool{}
	var rec func(v ssa.Value) bool
	rec = func(v ssa.Value) bool {
		if v == nil || seen[v] {
			return false
		}
		if len(seen) > maxVaries {
			return true
		}
		seen[v] = true
		instr, ok := v.(ssa.Instruction)
		if !ok {
			return false // a parameter, constant, global or captured value
		}
		if !l.Contains(instr.Block()) {
			if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
				return storedIn(l, u.X)
			}
			return false
		}
		switch x := v.(type) {
		case *ssa.Phi, *ssa.Call:
			return true
		case *ssa.FieldAddr, *ssa.Field:
			if held == nil {
				return true
			}
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if _, ok := x.X.(*ssa.Alloc); ok {
					return storedIn(l, x.X)
				}
				if held == nil || !held(x.X) || storesTo(l, x.X) {
					return true
				}
				return rec(x.X)
			}
		}
		for _, op := range instr.Operands(nil) {
			if op != nil && rec(*op) {
				return true
			}
		}
		return false
	}
	for _, v := range vs {
		if rec(v) {
			return true
		}
	}
	return false
}

// storedIn reports whether l stores to addr (or addr is not a local).
func storedIn(l *Loop, addr ssa.Value) bool {
	if _, ok := addr.(*ssa.Alloc); !ok {
		return true
	}
	refs := addr.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == addr && l.Contains(st.Block()) {
			return true
		}
		if _, ok := r.(ssa.CallInstruction); ok {
			return true // its address is passed on
		}
	}
	return false
}

// storesTo reports whether l stores to addr itself, or passes it to a call.
func storesTo(l *Loop, addr ssa.Value) bool {
	refs := addr.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if !l.Contains(r.Block()) {
			continue
		}
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr == addr {
				return true
			}
		case ssa.CallInstruction:
			return true
		}
	}
	return false
}
