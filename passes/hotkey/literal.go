package hotkey

import (
	"go/token"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"golang.org/x/tools/go/ssa"
)

// maxLiteralDepth bounds how many enclosing function literals a write is
// carried out through (func() { go func() { put }() }() in a loop).
const maxLiteralDepth = 3

// literalRun is where a function literal's parent runs it once: the call
// that calls, defers or starts it (go), or hands it to concurrency.NewSTM
// as apply (NewSTM runs apply and commits its Puts on every call).
type literalRun struct {
	call ssa.CallInstruction
	mc   *ssa.MakeClosure // nil for a literal without free variables
	args bool             // the literal's parameters are call's arguments
}

// runOf returns how lit's parent runs it, or false when it hands lit to
// anything else (a callback registry, sync.Once.Do, a scheduler whose
// period other rules judge).
func runOf(lit *ssa.Function) (literalRun, bool) {
	parent := lit.Parent()
	if parent == nil {
		return literalRun{}, false
	}
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			mc, _ := c.Value.(*ssa.MakeClosure)
			if c.Value == lit || (mc != nil && mc.Fn == lit) {
				return literalRun{call: call, mc: mc, args: true}, true
			}
			if i := etcdapi.STMApply(dataflow.Callee(c)); i >= 0 && i < len(c.Args) {
				arg := c.Args[i]
				amc, _ := arg.(*ssa.MakeClosure)
				if arg == lit || (amc != nil && amc.Fn == lit) {
					return literalRun{call: call, mc: amc}, true
				}
			}
		}
	}
	return literalRun{}, false
}

// outer returns the values of the parent that v, a value of lit, is built
// from: the bindings of the free variables and the arguments of the
// parameters it reaches. It fails on a parameter the parent does not pass
// (NewSTM's STM) and on a value too deep to follow.
func (r literalRun) outer(lit *ssa.Function, vs []ssa.Value) ([]ssa.Value, bool) {
	var out []ssa.Value
	seen := map[ssa.Value]bool{}
	ok := true
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if !ok || v == nil || seen[v] {
			return
		}
		seen[v] = true
		if len(seen) > 256 {
			ok = false
			return
		}
		switch x := v.(type) {
		case *ssa.FreeVar:
			for i, fv := range lit.FreeVars {
				if fv == x && r.mc != nil && i < len(r.mc.Bindings) {
					out = append(out, r.mc.Bindings[i])
					return
				}
			}
			ok = false
			return
		case *ssa.Parameter:
			for i, p := range lit.Params {
				if p == x && r.args && i < len(r.call.Common().Args) {
					out = append(out, r.call.Common().Args[i])
					return
				}
			}
			ok = false
			return
		case *ssa.Alloc:
			if x.Referrers() != nil {
				for _, ref := range *x.Referrers() {
					if st, isStore := ref.(*ssa.Store); isStore && st.Addr == x {
						walk(st.Val)
					}
				}
			}
		}
		instr, isInstr := v.(ssa.Instruction)
		if !isInstr || instr.Parent() != lit {
			return
		}
		var ops []*ssa.Value
		for _, op := range instr.Operands(ops) {
			if op != nil {
				walk(*op)
			}
		}
	}
	for _, v := range vs {
		walk(v)
	}
	return out, ok
}

// inLiteral carries a write of a function literal that is in no loop of
// the literal out to where its parent runs it, and judges it there: a
// literal called, deferred or started as a goroutine on every tick of a
// loop (or given to NewSTM there) rewrites its key on every tick, like a
// write in the loop itself. The key must be the same on every run of the
// literal (built from constants, free variables and parameters the
// literal does not reassign), and the write must not be behind a change
// check, an error path, a receive or a condition inside the literal; the
// free variables and arguments it is built from are then judged in the
// parent's loop like any other key.
func (c *checker) inLiteral(lit *ssa.Function, s site) (site, *ssa.Function, bool) {
	if s.opPut || len(s.maps) > 0 || s.enum != nil {
		return site{}, nil, false
	}
	all := func(b *ssa.BasicBlock) bool { return b.Parent() == lit }
	fx := fixednessIn(c.regionOf(lit, nil), all)
	if !fx.all(s.keys...) {
		return site{}, nil, false
	}
	if g := gateOf(s.w.Instr, s.values, all, fx); g.changed || g.eventRecv || g.varying || g.timerGated {
		return site{}, nil, false
	}
	r, ok := runOf(lit)
	if !ok {
		return site{}, nil, false
	}
	keys, ok := r.outer(lit, s.keys)
	if !ok {
		return site{}, nil, false
	}
	values, _ := r.outer(lit, s.values)
	t := s
	t.keys, t.values = keys, values
	if !t.pos.IsValid() {
		t.pos = s.w.Instr.Pos()
	}
	t.w.Instr = r.call
	return t, lit.Parent(), true
}

// reportPos is where a diagnostic for s goes: the write itself, also when
// it is judged where a literal holding it runs.
func (s site) reportPos() token.Pos {
	if s.pos.IsValid() {
		return s.pos
	}
	return s.w.Instr.Pos()
}
