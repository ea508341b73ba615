package dataflow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// SuccessSide returns, for a block ending in an If that tests how an
// operation went, the value tested and the index of the successor taken on
// success (see successOf); -1 when b tests none of these.
func SuccessSide(b *ssa.BasicBlock) (ssa.Value, int) {
	if len(b.Instrs) == 0 || len(b.Succs) != 2 {
		return nil, -1
	}
	ifi, ok := LastIf(b)
	if !ok {
		return nil, -1
	}
	return successOf(ifi.Cond)
}

// successOf returns, for a branch condition that tests how an operation
// went, the value tested and the side taken on success: an error against
// nil (err == nil: 0, err != nil: 1), any value against nil the same way, a
// field named Succeeded (a Txn response: its compares held and its Then
// ran) on its true side, or a boolean computed by a call (if ok := try();
// ok) on its true side. It returns -1 when cond tests none of these.
func successOf(cond ssa.Value) (ssa.Value, int) {
	switch c := cond.(type) {
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			return nil, -1
		}
		var other ssa.Value
		if IsNil(c.Y) {
			other = c.X
		} else if IsNil(c.X) {
			other = c.Y
		}
		if other == nil {
			return nil, -1
		}
		if c.Op == token.EQL {
			return other, 0
		}
		return other, 1
	case *ssa.UnOp:
		if c.Op == token.MUL && IsSucceeded(c.X) {
			return c.X, 0
		}
	case *ssa.Field:
		if IsSucceeded(c) {
			return c, 0
		}
	case *ssa.Call, *ssa.Extract:
		if b, ok := c.Type().Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
			return c, 0
		}
	}
	return nil, -1
}

// LeavesOnWriteSuccess reports whether loop l has an exit taken when one of
// the given calls (writes) succeeds: a successOf test of the call's error,
// its response (a Txn's Succeeded: a compare-and-swap that took effect) or
// its boolean result leads out of the loop. A loop that leaves once the
// operation took effect runs it to success once, however many times it
// retries (a lock acquisition that sleeps and tries again).
func LeavesOnWriteSuccess(l *Loop, writes map[ssa.Value]bool) bool {
	var from func(v ssa.Value, depth int) bool
	from = func(v ssa.Value, depth int) bool {
		if depth > 4 {
			return false
		}
		for range 8 {
			switch x := v.(type) {
			case *ssa.Phi:
				// err or resp set by the write on one path (a grant
				// that failed first): the write's own result counts
				for _, e := range x.Edges {
					if e != x && !IsNil(e) && from(e, depth+1) {
						return true
					}
				}
				return false
			case *ssa.Extract:
				v = x.Tuple
			case *ssa.UnOp:
				if x.Op != token.MUL {
					return false
				}
				v = x.X
			case *ssa.FieldAddr:
				v = x.X
			case *ssa.Field:
				v = x.X
			default:
				return writes[v]
			}
		}
		return false
	}
	return LeavesOnSuccess(l, func(cond ssa.Value) int {
		tested, side := successOf(cond)
		if side < 0 || !from(tested, 0) {
			return -1
		}
		return side
	})
}

// IsNil reports whether v is the constant nil.
func IsNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// IsSucceeded reports whether v is (the address of) a field named
// Succeeded: a Txn response's report that its compares held.
func IsSucceeded(v ssa.Value) bool {
	var st types.Type
	var idx int
	switch x := v.(type) {
	case *ssa.FieldAddr:
		st, idx = x.X.Type().Underlying(), x.Field
		if p, ok := st.(*types.Pointer); ok {
			st = p.Elem().Underlying()
		}
	case *ssa.Field:
		st, idx = x.X.Type().Underlying(), x.Field
	default:
		return false
	}
	s, ok := st.(*types.Struct)
	return ok && idx < s.NumFields() && s.Field(idx).Name() == "Succeeded"
}
