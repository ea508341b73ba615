package leasechurn

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// perRun reports a grant in a function that runs once per period
// (dataflow.PeriodicFuncs: a scheduler's callback, or a declared function
// or method that time.AfterFunc runs and that re-arms itself) outside any
// loop of it, when the function drops the lease on every run: it neither
// revokes it, keeps its ID (a field, a result, a hand-off), nor grants
// only while it holds none or once a keep-alive lost the lease, and every
// key it writes with it is the same on every run. Each run then grants
// one more lease, as a grant in a ticker loop does.
func (c *checker) perRun(fn *ssa.Function, loops []*dataflow.Loop, s site) (report.Diagnostic, bool) {
	r, ok := c.periodic[fn]
	if !ok || len(dataflow.Enclosing(loops, s.call.Block())) > 0 {
		return report.Diagnostic{}, false
	}
	if lazy(fn, s.call) || afterLoss(fn, s.call) {
		return report.Diagnostic{}, false
	}
	u := c.useOf(s)
	if u.revoked || u.kept || u.returned >= 0 || len(u.ends) > 0 || afterKeyGone(fn, s.call, u) {
		return report.Diagnostic{}, false
	}
	for _, k := range u.keys {
		if !sameEveryRun(fn, k) {
			return report.Diagnostic{}, false
		}
	}
	subject := "a new lease is granted"
	if s.via != nil {
		subject = dataflow.FuncName(s.via) + " grants a new lease on every call and this call runs"
	}
	what := "every time " + r.Name + " runs this function"
	if r.Name == "time.AfterFunc" {
		what = "every time time.AfterFunc runs this function (it re-arms its own timer)"
	}
	if len(u.writes) == 0 {
		what += " and never used"
	} else {
		what += ", writing the same key(s) with it each time,"
	}
	kept := ""
	if u.forever {
		kept = fmt.Sprintf(", and each is kept alive (a keep-alive request every TTL/%d) until the process exits", etcdapi.KeepAliveDivisor)
	}
	msg := fmt.Sprintf("%s %s and the previous lease is never revoked%s: every Grant is a raft proposal, "+
		"and every abandoned lease stays in every member's lessor until it expires and the leader revokes it "+
		"with another proposal (at most %d a second); grant one lease once and renew it "+
		"(KeepAlive or KeepAliveOnce), or revoke it before granting the next",
		subject, what, kept, etcdapi.LeaseRevokeRate)
	related := []analysis.RelatedInformation{report.Related(r.Call.Pos(), "the function is scheduled here")}
	return report.Diagnostic{Pos: s.call.Pos(), Message: msg, Category: "tick", Related: related}, true
}

// sameEveryRun reports whether v, a key of fn, is built only from
// constants, package variables, fn's receiver or free variables (bound
// once, when the function value was made) and fields read through them,
// by standard-library transformations: the same key on every run.
func sameEveryRun(fn *ssa.Function, v ssa.Value) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if v == nil || depth > 24 || len(seen) > maxVisit {
			return false
		}
		if seen[v] {
			return true
		}
		seen[v] = true
		switch v := v.(type) {
		case *ssa.Const, *ssa.Global, *ssa.FreeVar:
			return true
		case *ssa.Parameter:
			return fn.Signature.Recv() != nil && len(fn.Params) > 0 && v == fn.Params[0]
		case *ssa.UnOp:
			if v.Op == token.ARROW {
				return false
			}
			if fv, ok := v.X.(*ssa.FreeVar); ok && v.Op == token.MUL {
				return !storedIn(fn, fv)
			}
			return walk(v.X, depth+1)
		case *ssa.FieldAddr:
			return walk(v.X, depth+1)
		case *ssa.Field:
			return walk(v.X, depth+1)
		case *ssa.BinOp:
			return walk(v.X, depth+1) && walk(v.Y, depth+1)
		case *ssa.Convert:
			return walk(v.X, depth+1)
		case *ssa.ChangeType:
			return walk(v.X, depth+1)
		case *ssa.MakeInterface:
			return walk(v.X, depth+1)
		case *ssa.Slice:
			return walk(v.X, depth+1)
		case *ssa.IndexAddr:
			return walk(v.X, depth+1) && walk(v.Index, depth+1)
		case *ssa.Alloc:
			if v.Referrers() == nil {
				return false
			}
			for _, r := range *v.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == v && !walk(st.Val, depth+1) {
					return false
				}
			}
			return true
		case *ssa.Call:
			if !dataflow.IsTransform(&v.Call) {
				return false
			}
			for _, a := range v.Call.Args {
				if !walk(a, depth+1) {
					return false
				}
			}
			return true
		}
		return false
	}
	return walk(v, 0)
}

// storedIn reports whether fn stores into the free variable fv.
func storedIn(fn *ssa.Function, fv *ssa.FreeVar) bool {
	for _, r := range *fv.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == fv && st.Parent() == fn {
			return true
		}
	}
	return false
}
