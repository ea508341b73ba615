package leasechurn

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// perInstance reports a method that grants its receiver's own lease (only
// when the receiver holds none), keeps it in a field of the receiver and
// writes only the receiver's own key with it, when a constructor of the
// package builds each value of that type with a key taken from its
// parameters: one value per address, per service, per lock, and so one
// lease per value where one lease shared by all of them would do.
func (c *checker) perInstance(fn *ssa.Function) (report.Diagnostic, bool) {
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return report.Diagnostic{}, false
	}
	recv := fn.Params[0]
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !etcdapi.IsGrant(dataflow.Callee(call.Common())) {
				continue
			}
			field, ok := heldByReceiver(fn, recv, call)
			if !ok {
				continue
			}
			key, write := c.ownKey(fn, recv, field)
			if key < 0 {
				continue
			}
			ctor, ok := c.constructorFrom(recv.Type(), key)
			if !ok {
				continue
			}
			return c.instanceDiag(call, recv.Type(), key, ctor, write), true
		}
	}
	return report.Diagnostic{}, false
}

// heldByReceiver reports the receiver's lease field the grant runs under
// a check of (if r.lease == 0) and stores its ID into.
func heldByReceiver(fn *ssa.Function, recv ssa.Value, grant ssa.Instruction) (int, bool) {
	field := -1
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || b == grant.Block() || !b.Dominates(grant.Block()) {
			continue
		}
		ifi, ok := dataflow.LastIf(b)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok {
			continue
		}
		for _, side := range []ssa.Value{cmp.X, cmp.Y} {
			if fa, ok := heldLease(side).(*ssa.FieldAddr); ok && fa.X == recv {
				field = fa.Field
			}
		}
	}
	if field < 0 {
		return -1, false
	}
	stored := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if fa, ok := st.Addr.(*ssa.FieldAddr); ok && fa.X == recv && fa.Field == field && etcdapi.IsLeaseID(st.Val.Type()) {
					stored = true
				}
			}
		}
	}
	return field, stored
}

// ownKey returns the receiver's field that is the only key fn writes with
// the receiver's lease field, and the write; -1 when fn writes another key
// with it or none.
func (c *checker) ownKey(fn *ssa.Function, recv ssa.Value, lease int) (int, ssa.Instruction) {
	u := &use{ends: map[ssa.Instruction]bool{}, returned: -1}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || !etcdapi.IsWithLease(dataflow.Callee(call.Common())) {
				continue
			}
			if fa, ok := heldLease(dataflow.Arg(call.Common(), 0)).(*ssa.FieldAddr); ok && fa.X == recv && fa.Field == lease {
				c.attach(u, call)
			}
		}
	}
	key := -1
	for _, k := range u.keys {
		load, ok := k.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			return -1, nil
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok || fa.X != recv || (key >= 0 && key != fa.Field) {
			return -1, nil
		}
		key = fa.Field
	}
	if key < 0 || len(u.writes) == 0 {
		return -1, nil
	}
	return key, u.writes[0]
}

// constructorFrom returns a function of the package that builds a value of
// type t (a *T) and sets its key field from one of its parameters.
func (c *checker) constructorFrom(t types.Type, key int) (*ssa.Function, bool) {
	for _, fn := range c.funcs {
		if fn.Parent() != nil || fn.Signature.Recv() != nil {
			continue
		}
		res := fn.Signature.Results()
		builds := false
		for i := range res.Len() {
			if types.Identical(res.At(i).Type(), t) {
				builds = true
			}
		}
		if !builds {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || fa.Field != key || !types.Identical(fa.X.Type(), t) {
					continue
				}
				fromParam := false
				dataflow.Roots(st.Val, func(r ssa.Value) {
					if p, ok := r.(*ssa.Parameter); ok && p.Parent() == fn {
						fromParam = true
					}
				})
				if fromParam {
					return fn, true
				}
			}
		}
	}
	return nil, false
}

func (c *checker) instanceDiag(grant *ssa.Call, t types.Type, key int, ctor *ssa.Function, write ssa.Instruction) report.Diagnostic {
	name := types.TypeString(t, func(*types.Package) string { return "" })
	keyName := "its key"
	if st, ok := t.Underlying().(*types.Pointer); ok {
		if s, ok := st.Elem().Underlying().(*types.Struct); ok && key < s.NumFields() {
			keyName = "its own key (" + s.Field(key).Name() + ")"
		}
	}
	msg := fmt.Sprintf("each %s grants its own lease and attaches only %s to it, and %s builds one %s per key it is given: "+
		"N of them keep N leases in every member's lessor, each renewed every TTL/%d and each granted and, once expired, "+
		"revoked by its own raft proposal; share one lease among them (a lease manager that grants one lease per process "+
		"and attaches every key to it with WithLease)",
		name, keyName, ctor.Name(), name, etcdapi.KeepAliveDivisor)
	related := []analysis.RelatedInformation{report.Related(ctor.Pos(), "the constructor")}
	if write != nil && write.Pos().IsValid() {
		related = append(related, report.Related(write.Pos(), "the key written with the lease"))
	}
	return report.Diagnostic{Pos: grant.Pos(), Message: msg, Category: "instance", Related: related}
}

// orphaned reports a lease granted on every call of an exported method
// whose key comes from the method's arguments (a registration entry
// point), kept alive until the process exits, with its ID kept nowhere:
// nothing can revoke it, so every registration, and every re-registration
// of the same key, adds one more lease renewed for the life of the process.
func (c *checker) orphaned(fn *ssa.Function, loops []*dataflow.Loop, s site) (report.Diagnostic, bool) {
	if !registration(fn) || repeatingLoop(loops, s) != nil || lazy(fn, s.call) {
		return report.Diagnostic{}, false
	}
	if s.via != nil && s.via.Pkg() == c.pkg {
		if callee, ok := s.call.Common().Value.(*ssa.Function); ok && registration(callee) {
			return report.Diagnostic{}, false // reported in the callee
		}
		if s.call.Common().IsInvoke() {
			return report.Diagnostic{}, false
		}
	}
	u := c.useOf(s)
	if !u.forever || u.kept || u.revoked || u.returned >= 0 {
		return report.Diagnostic{}, false
	}
	fromArgs := false
	for _, k := range u.keys {
		for _, i := range paramsOf(fn, k) {
			fromArgs = fromArgs || i >= 0
		}
	}
	if !fromArgs {
		return report.Diagnostic{}, false
	}
	subject := "a new lease is granted on every call, kept alive until the process exits, and its ID is kept nowhere"
	if s.via != nil {
		subject = dataflow.FuncName(s.via) + " grants a new lease on every call and keeps it alive until the process exits, and its ID is kept nowhere"
	}
	msg := fmt.Sprintf("%s: every call of %s "+
		"(every registration, every re-registration of the same key) adds a lease that nothing can revoke, "+
		"held in every member's lessor and renewed every TTL/%d for the life of the process; keep the lease "+
		"(its ID, or the keep-alive's cancel) per key, and reuse or revoke it when the key is registered again",
		subject, fn.Name(), etcdapi.KeepAliveDivisor)
	var related []analysis.RelatedInformation
	for _, w := range u.writes {
		if w.Pos().IsValid() && w != s.call {
			related = append(related, report.Related(w.Pos(), "the key written with the lease"))
			break
		}
	}
	return report.Diagnostic{Pos: s.call.Pos(), Message: msg, Category: "registration", Related: related}, true
}

// registration reports whether fn is an exported method: an entry point
// the program calls once per thing it registers.
func registration(fn *ssa.Function) bool {
	if fn.Signature.Recv() == nil || fn.Parent() != nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	return ok && obj.Exported()
}
