package txnops

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

// cappedResult reports whether result idx of fn is a map fn makes and
// fills only while its length stays under a constant: every store into
// it runs in a loop that leaves (break, return) once len(m), plus what
// the iteration is about to add, reaches N (if len(batch)+len(next) >=
// N { break }). It returns N. Such a map holds at most about N entries
// however long the input is: a batch capped by count, which is what
// etcd's --max-txn-ops asks of the caller that commits it.
func (c *checker) cappedResult(fn *ssa.Function, idx int) (int64, bool) {
	if fn == nil || len(fn.Blocks) == 0 {
		return 0, false
	}
	var m *ssa.MakeMap
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || idx >= len(ret.Results) {
			continue
		}
		switch r := ret.Results[idx].(type) {
		case *ssa.Const:
			if !r.IsNil() {
				return 0, false
			}
		case *ssa.MakeMap:
			if m != nil && m != r {
				return 0, false
			}
			m = r
		default:
			return 0, false
		}
	}
	if m == nil || m.Referrers() == nil {
		return 0, false
	}
	loops := c.loopsOf(fn)
	var most int64
	stores := 0
	for _, r := range *m.Referrers() {
		u, ok := r.(*ssa.MapUpdate)
		if !ok || u.Map != m {
			continue
		}
		stores++
		n, ok := c.capGuard(loops, m, u.Block())
		if !ok {
			return 0, false
		}
		most = max(most, n)
	}
	return most, stores > 0
}

// capGuard finds, for a store into m in block at, a loop around it with
// a test of len(m) against a constant whose "reached" side leaves that
// loop and that the store runs only after passing. The test must count
// what is being added (a len of another collection in the same sum)
// unless the store is in that loop itself, one entry per test.
func (c *checker) capGuard(loops []*dataflow.Loop, m *ssa.MakeMap, at *ssa.BasicBlock) (int64, bool) {
	enclosing := dataflow.Enclosing(loops, at)
	for _, l := range enclosing {
		direct := true
		for _, inner := range enclosing {
			if inner != l && l.Contains(inner.Header) && inner.Header != l.Header {
				direct = false // the store runs in a deeper loop
			}
		}
		for _, b := range at.Parent().Blocks {
			if !l.Contains(b) || len(b.Instrs) == 0 || len(b.Succs) != 2 || !b.Dominates(at) {
				continue
			}
			ifi, ok := dataflow.LastIf(b)
			if !ok {
				continue
			}
			cond, ok := ifi.Cond.(*ssa.BinOp)
			if !ok {
				continue
			}
			// reached: the successor taken once the length got to n
			for _, t := range []struct {
				lenSide, constSide ssa.Value
				op                 token.Token
			}{{cond.X, cond.Y, cond.Op}, {cond.Y, cond.X, dataflow.Flip(cond.Op)}} {
				n, ok := c.constInt(t.constSide)
				if !ok {
					continue
				}
				own, other := lenTerms(t.lenSide, m)
				if !own || (!direct && !other) {
					continue
				}
				var reached *ssa.BasicBlock
				switch t.op {
				case token.GEQ, token.EQL:
					reached = b.Succs[0]
				case token.GTR:
					reached, n = b.Succs[0], n+1
				case token.LSS:
					reached = b.Succs[1]
				case token.LEQ:
					reached, n = b.Succs[1], n+1
				default:
					continue
				}
				if !l.Contains(reached) && !reached.Dominates(at) {
					return n, true
				}
			}
		}
	}
	return 0, false
}

// lenTerms reports whether v, a sum, has the term len(m), and whether it
// has another len(...) term (the entries about to be added).
func lenTerms(v ssa.Value, m *ssa.MakeMap) (own, other bool) {
	switch x := v.(type) {
	case *ssa.BinOp:
		if x.Op != token.ADD {
			return false, false
		}
		o1, t1 := lenTerms(x.X, m)
		o2, t2 := lenTerms(x.Y, m)
		return o1 || o2, t1 || t2
	case *ssa.Call:
		if bi, ok := x.Call.Value.(*ssa.Builtin); ok && bi.Name() == "len" && len(x.Call.Args) == 1 {
			return x.Call.Args[0] == ssa.Value(m), x.Call.Args[0] != ssa.Value(m)
		}
	}
	return false, false
}
