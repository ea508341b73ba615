package leasechurn

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// useOf is what the function of s does with the lease s grants, together
// with what the granting callee does with it.
func (c *checker) useOf(s site) *use {
	u := c.follow(s.lease)
	if s.fact == nil {
		return u
	}
	if lit := literalOf(s.call.Common()); lit != nil {
		for _, in := range c.sites(lit) {
			u.merge(c.useOf(in))
		}
		return u
	}
	u.forever = u.forever || s.fact.Forever
	if s.fact.Attached || len(s.fact.Keys) > 0 {
		u.writes = append(u.writes, s.call)
	}
	for _, k := range s.fact.Keys {
		if a := dataflow.Arg(s.call.Common(), k); a != nil {
			u.keys = append(u.keys, a)
		}
	}
	return u
}

// literalOf returns the function literal call calls (or starts), or nil.
func literalOf(call *ssa.CallCommon) *ssa.Function {
	switch v := call.Value.(type) {
	case *ssa.MakeClosure:
		lit, _ := v.Fn.(*ssa.Function)
		return lit
	case *ssa.Function:
		if v.Parent() != nil {
			return v
		}
	}
	return nil
}

// repeatingLoop returns the innermost loop of fn around s that grants
// again after a grant that succeeded, or nil.
func repeatingLoop(loops []*dataflow.Loop, s site) *dataflow.Loop {
	for _, l := range dataflow.Enclosing(loops, s.call.Block()) {
		if repeatsOnSuccess(l, s.call) {
			return l
		}
	}
	return nil
}

// summarise computes fn's Grants fact from the grants that run once per
// call and whose lease fn neither revokes nor keeps.
func (c *checker) summarise(fn *ssa.Function) *Grants {
	var g *Grants
	loops := dataflow.NaturalLoops(fn)
	for _, s := range c.sites(fn) {
		if repeatingLoop(loops, s) != nil || lazy(fn, s.call) {
			continue
		}
		u := c.useOf(s)
		if u.revoked || u.kept {
			continue
		}
		if g == nil {
			g = &Grants{Result: -1}
		}
		if u.returned >= 0 {
			g.Result = u.returned
		} else {
			g.Forever = g.Forever || u.forever
		}
		g.Attached = g.Attached || len(u.writes) > 0
		for _, k := range u.keys {
			for _, i := range paramsOf(fn, k) {
				if !slices.Contains(g.Keys, i) {
					g.Keys = append(g.Keys, i)
				}
			}
		}
	}
	if g != nil {
		sort.Ints(g.Keys)
		if g.Result >= 0 {
			g.Forever = false
		}
	}
	return g
}

// lazy reports whether instr runs only under a check of a lease ID the
// program holds (a field or a package variable: if l.leaseID == 0): a
// lease granted once and kept, not one per call.
func lazy(fn *ssa.Function, instr ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || b == instr.Block() || !b.Dominates(instr.Block()) {
			continue
		}
		ifi, ok := dataflow.LastIf(b)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			continue
		}
		if heldLease(cmp.X) != nil || heldLease(cmp.Y) != nil {
			return true
		}
	}
	return false
}

// heldLease returns the field or global whose lease ID v loads, or nil.
func heldLease(v ssa.Value) ssa.Value {
	if ct, ok := v.(*ssa.Convert); ok {
		v = ct.X
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || !etcdapi.IsLeaseID(load.Type()) {
		return nil
	}
	switch a := load.X.(type) {
	case *ssa.FieldAddr, *ssa.Global:
		return a
	}
	return nil
}

// check reports the grant sites of funcs that run per tick or per element.
func (c *checker) check(funcs []*ssa.Function) []report.Diagnostic {
	var out []report.Diagnostic
	for _, fn := range funcs {
		if !fn.Pos().IsValid() && fn.Parent() == nil {
			continue
		}
		if c.skip(fn.Pos()) {
			continue
		}
		c.rep.Guard(fn.Pos(), "function "+fn.Name(), func() {
			loops := dataflow.NaturalLoops(fn)
			for _, s := range c.sites(fn) {
				if d, ok := c.diagnose(fn, loops, s); ok {
					out = append(out, d)
				} else if d, ok := c.orphaned(fn, loops, s); ok {
					out = append(out, d)
				} else if d, ok := c.perRun(fn, loops, s); ok {
					out = append(out, d)
				}
			}
			if d, ok := c.perInstance(fn); ok {
				out = append(out, d)
			}
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func (c *checker) diagnose(fn *ssa.Function, loops []*dataflow.Loop, s site) (report.Diagnostic, bool) {
	l := repeatingLoop(loops, s)
	if l == nil || lazy(fn, s.call) || afterLoss(fn, s.call) {
		return report.Diagnostic{}, false
	}
	u := c.useOf(s)
	if !dropped(l, s.call, u) {
		return report.Diagnostic{}, false // revoked or kept before the next grant
	}
	if afterKeyGone(fn, s.call, u) {
		return report.Diagnostic{}, false // re-registers a key whose lease is gone
	}
	perElement := false
	for _, k := range u.keys {
		if varies(fn, l, k) {
			perElement = true
		}
	}
	subject := "a new lease is granted"
	if s.via != nil {
		subject = dataflow.FuncName(s.via) + " grants a new lease on every call and this call runs"
	}
	kept := ""
	if u.forever {
		kept = fmt.Sprintf(", and each is kept alive (a keep-alive request every TTL/%d) until the process exits", etcdapi.KeepAliveDivisor)
	}
	var msg, category string
	if perElement {
		if u.kept || u.revoked || (s.ttl != nil && varies(fn, l, s.ttl)) {
			return report.Diagnostic{}, false // each element's lease is its own, kept to be revoked or with its own TTL
		}
		category = "element"
		msg = fmt.Sprintf("%s for every element of this loop, each for that element's key with the same TTL%s: "+
			"every Grant is a raft proposal and every lease lives in every member's lessor until it is revoked, "+
			"and expired leases are revoked by further proposals (at most %d a second); "+
			"grant one lease before the loop and attach every key to it with WithLease",
			subject, kept, etcdapi.LeaseRevokeRate)
	} else {
		category = "tick"
		what := "on every iteration of this loop"
		if len(u.writes) == 0 {
			what += " and never used"
		} else {
			what += ", writing the same key(s) with it each time,"
		}
		msg = fmt.Sprintf("%s %s and the previous lease is never revoked%s: every Grant is a raft proposal, "+
			"and every abandoned lease stays in every member's lessor until it expires and the leader revokes it "+
			"with another proposal (at most %d a second); grant one lease outside the loop and renew it "+
			"(KeepAlive or KeepAliveOnce), or revoke it before granting the next",
			subject, what, kept, etcdapi.LeaseRevokeRate)
	}
	var related []analysis.RelatedInformation
	if p := dataflow.LoopStmt(c.files, l); p.IsValid() {
		related = append(related, report.Related(p, "the loop"))
	}
	for _, w := range u.writes {
		if w.Pos().IsValid() && w != s.call {
			related = append(related, report.Related(w.Pos(), "a key written with the lease"))
			break
		}
	}
	return report.Diagnostic{Pos: s.call.Pos(), Message: msg, Category: category, Related: related}, true
}

// afterLoss reports whether instr runs only once a keep-alive has
// reported its lease gone: under a test of a value received from a
// Lease.KeepAlive channel against nil, or of the receive's ok. Granting
// again then replaces a lease that no longer exists; it is the remedy,
// not churn.
func afterLoss(fn *ssa.Function, instr ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || b == instr.Block() || !b.Dominates(instr.Block()) {
			continue
		}
		ifi, ok := dataflow.LastIf(b)
		if !ok {
			continue
		}
		switch cond := ifi.Cond.(type) {
		case *ssa.BinOp:
			if (cond.Op == token.EQL || cond.Op == token.NEQ) && (fromKeepAlive(cond.X) || fromKeepAlive(cond.Y)) {
				return true
			}
		case *ssa.UnOp:
			if cond.Op == token.NOT && fromKeepAlive(cond.X) {
				return true
			}
		default:
			if fromKeepAlive(cond) {
				return true
			}
		}
	}
	return false
}

// fromKeepAlive reports whether v was received from a keep-alive channel
// (the response or the receive's ok), directly or in a select.
func fromKeepAlive(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.UnOp:
		return v.Op == token.ARROW && etcdapi.ResourceOf(v.X.Type()) == etcdapi.ResKeepAlive
	case *ssa.Extract:
		switch t := v.Tuple.(type) {
		case *ssa.UnOp:
			return fromKeepAlive(t)
		case *ssa.Select:
			for _, st := range t.States {
				if st.Dir == types.RecvOnly && etcdapi.ResourceOf(st.Chan.Type()) == etcdapi.ResKeepAlive {
					return true
				}
			}
		}
	}
	return false
}
