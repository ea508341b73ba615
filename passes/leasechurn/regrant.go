package leasechurn

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// afterKeyGone reports whether instr runs only where a Get of a key the
// lease is then written to found it absent (len(resp.Kvs) == 0,
// resp.Count == 0), and every write of the lease runs on a context that
// can still succeed. A key put with a lease exists for as long as the lease
// does, so a grant behind that check replaces a lease that expired or was
// revoked: it re-registers, it does not churn. When the write runs on a
// context already cancelled (one made and cancelled by a function that has
// returned), the key never comes back and every pass grants again.
func afterKeyGone(fn *ssa.Function, instr ssa.Instruction, u *use) bool {
	if len(u.keys) == 0 {
		return false
	}
	for _, w := range u.writes {
		if deadContext(w) {
			return false
		}
	}
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || b == instr.Block() || !b.Dominates(instr.Block()) {
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
		x, y, op := cond.X, cond.Y, cond.Op
		if isZero(x) {
			x, y = y, x
			switch op {
			case token.LSS:
				op = token.GTR
			case token.GEQ:
				op = token.LEQ
			}
		}
		if !isZero(y) {
			continue
		}
		absent := -1 // the successor on which the key is absent
		switch op {
		case token.EQL, token.LEQ:
			absent = 0
		case token.NEQ, token.GTR:
			absent = 1
		}
		if absent < 0 || !b.Succs[absent].Dominates(instr.Block()) {
			continue
		}
		if key := countedGetKey(x); key != nil && sameKey(key, u.keys) {
			return true
		}
	}
	return false
}

func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.Int && constant.Sign(c.Value) == 0
}

// countedGetKey returns the key argument of the Get whose response v
// counts: len(resp.Kvs) or resp.Count.
func countedGetKey(v ssa.Value) ssa.Value {
	var field ssa.Value
	if call, ok := v.(*ssa.Call); ok {
		if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "len" || len(call.Call.Args) != 1 {
			return nil
		}
		field = call.Call.Args[0]
	} else {
		field = v
	}
	var resp ssa.Value
	var name string
	switch f := field.(type) {
	case *ssa.UnOp:
		fa, ok := f.X.(*ssa.FieldAddr)
		if !ok || f.Op != token.MUL {
			return nil
		}
		resp, name = fa.X, fieldName(fa.X.Type(), fa.Field)
	case *ssa.Field:
		resp, name = f.X, fieldName(f.X.Type(), f.Field)
	default:
		return nil
	}
	if name != "Kvs" && name != "Count" {
		return nil
	}
	var key ssa.Value
	for _, src := range storedValues(resp, 0) {
		ext, ok := src.(*ssa.Extract)
		if !ok || ext.Index != 0 {
			continue
		}
		call, ok := ext.Tuple.(*ssa.Call)
		if !ok {
			continue
		}
		op, ok := etcdapi.Lookup(dataflow.Callee(&call.Call))
		if !ok || op.Kind != etcdapi.Get || op.Key < 0 {
			continue
		}
		if key = dataflow.Arg(&call.Call, op.Key); key != nil {
			return key
		}
	}
	return nil
}

func fieldName(t types.Type, i int) string {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	s, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok || i >= s.NumFields() {
		return ""
	}
	return s.Field(i).Name()
}

// storedValues returns v itself, or, when v is loaded from a local
// variable, every value stored into it, in this function or in a function
// literal that captures it.
func storedValues(v ssa.Value, depth int) []ssa.Value {
	if depth > 3 {
		return nil
	}
	if fv, ok := v.(*ssa.FreeVar); ok {
		if b := dataflow.Binding(fv); b != nil {
			return storedValues(b, depth+1)
		}
		return nil
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return []ssa.Value{v}
	}
	var out []ssa.Value
	for _, addr := range addresses(load.X, depth) {
		if refs := addr.Referrers(); refs != nil {
			for _, r := range *refs {
				if st, ok := r.(*ssa.Store); ok && st.Addr == addr {
					out = append(out, st.Val)
				}
			}
		}
	}
	return out
}

// addresses returns addr and, when it is a variable that function literals
// capture, the free variables of those literals that stand for it.
func addresses(addr ssa.Value, depth int) []ssa.Value {
	if fv, ok := addr.(*ssa.FreeVar); ok {
		if b := dataflow.Binding(fv); b != nil && depth < 3 {
			return addresses(b, depth+1)
		}
		return []ssa.Value{addr}
	}
	out := []ssa.Value{addr}
	if _, ok := addr.(*ssa.Alloc); !ok {
		return out
	}
	if refs := addr.Referrers(); refs != nil {
		for _, r := range *refs {
			mc, ok := r.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			lit := mc.Fn.(*ssa.Function)
			for i, b := range mc.Bindings {
				if b == addr && i < len(lit.FreeVars) {
					out = append(out, lit.FreeVars[i])
				}
			}
		}
	}
	return out
}

// sameKey reports whether key is one of keys: the same value, the same
// variable (read here or in a function literal that captures it), or the
// same constant.
func sameKey(key ssa.Value, keys []ssa.Value) bool {
	k, kload := variableOf(key)
	for _, o := range keys {
		o, oload := variableOf(o)
		if o == k && oload == kload {
			return true
		}
		if a, ok := dataflow.ConstString(k); ok {
			if b, ok := dataflow.ConstString(o); ok && a == b {
				return true
			}
		}
	}
	return false
}

// variableOf returns v, or the variable it is loaded from, seen through the
// free variables of function literals; load says which.
func variableOf(v ssa.Value) (ssa.Value, bool) {
	load := false
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v, load = u.X, true
	}
	for i := 0; i < 3; i++ {
		fv, ok := v.(*ssa.FreeVar)
		if !ok {
			break
		}
		b := dataflow.Binding(fv)
		if b == nil {
			break
		}
		v = b
	}
	return v, load
}

// deadContext reports whether the write runs on a context that is already
// cancelled when it runs: the context argument is loaded from a variable
// every store of which is a context made, together with its cancel, by a
// function other than the write's that defers that cancel (so the context
// ends when that function returns, before the write can use it).
func deadContext(w ssa.Instruction) bool {
	call, ok := w.(ssa.CallInstruction)
	if !ok {
		return false
	}
	common := call.Common()
	op, ok := etcdapi.Lookup(dataflow.Callee(common))
	if !ok || op.Ctx < 0 {
		return false
	}
	ctx := dataflow.Arg(common, op.Ctx)
	if _, ok := ctx.(*ssa.UnOp); !ok {
		return false
	}
	srcs := storedValues(ctx, 0)
	if len(srcs) == 0 {
		return false
	}
	for _, src := range srcs {
		ext, ok := src.(*ssa.Extract)
		if !ok || ext.Index != 0 || ext.Parent() == w.Parent() {
			return false
		}
		mk, ok := ext.Tuple.(*ssa.Call)
		if !ok || !defersCancel(mk) {
			return false
		}
	}
	return true
}

// defersCancel reports whether mk, a call of context.WithCancel,
// WithTimeout or WithDeadline, has its cancel deferred in the function that
// makes it (directly or through the variable it is stored in).
func defersCancel(mk *ssa.Call) bool {
	f := dataflow.Callee(&mk.Call)
	if f == nil || f.Pkg() == nil || f.Pkg().Path() != "context" {
		return false
	}
	switch f.Name() {
	case "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
	default:
		return false
	}
	var cancel ssa.Value
	if refs := mk.Referrers(); refs != nil {
		for _, r := range *refs {
			if e, ok := r.(*ssa.Extract); ok && e.Index == 1 {
				cancel = e
			}
		}
	}
	if cancel == nil {
		return false
	}
	for _, b := range mk.Parent().Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			for _, v := range storedValues(d.Call.Value, 0) {
				if v == cancel {
					return true
				}
			}
		}
	}
	return false
}
