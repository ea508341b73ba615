package dataflow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// RearmedAfterFunc reports whether call is time.AfterFunc(d, f) with f a
// declared function or a method value that schedules itself again every
// time it runs: it calls time.AfterFunc with itself (the same function or
// the same method), or Reset on the timer the call's result is kept in
// (the same field of the same struct type, or the same package variable).
// Such a callback runs once per period for as long as the program runs,
// like the body of a ticker loop. The period is the duration of the call
// that re-arms it (Reset(5*time.Second)); the first delay counts only when
// nothing else gives one. A function literal is its parent's business: the
// closure has no declaration the callers of AfterFunc can share.
func RearmedAfterFunc(call ssa.CallInstruction) (Repeated, bool) {
	c := call.Common()
	if !isTimeCall(c, "", "AfterFunc") || len(c.Args) < 2 {
		return Repeated{}, false
	}
	run, _ := RunFunc(c.Args[1])
	if run == nil || run.Parent() != nil {
		return Repeated{}, false
	}
	body := declaredBody(run)
	if body == nil || len(body.Blocks) == 0 || call.Parent() == body {
		// no body to read, or the call that re-arms it: scheduled elsewhere
		return Repeated{}, false
	}
	obj := body.Object()
	keptIn := timerHome(call)
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			rc, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			rcc := rc.Common()
			switch {
			case isTimeCall(rcc, "", "AfterFunc") && len(rcc.Args) >= 2:
				if f, _ := RunFunc(rcc.Args[1]); f != nil && obj != nil && (f == body || f.Object() == obj) {
					return Repeated{Call: call, Fn: c.Args[1], Period: rcc.Args[0], Name: "time.AfterFunc"}, true
				}
			case isTimeCall(rcc, "Timer", "Reset") && len(rcc.Args) >= 2 && keptIn != nil:
				if sameHome(keptIn, loadedFrom(rcc.Args[0])) {
					return Repeated{Call: call, Fn: c.Args[1], Period: rcc.Args[1], Name: "time.AfterFunc"}, true
				}
			}
		}
	}
	return Repeated{}, false
}

// isTimeCall reports whether c calls package time's function name
// (recv == "") or method recv.name.
func isTimeCall(c *ssa.CallCommon, recv, name string) bool {
	fn := Callee(c)
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == name && RecvName(fn) == recv
}

// declaredBody returns the declared function a function value runs: fn
// itself, or the method a bound-method wrapper calls.
func declaredBody(fn *ssa.Function) *ssa.Function {
	if fn.Synthetic == "" {
		return fn
	}
	m, ok := fn.Object().(*types.Func)
	if !ok {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok {
				if sc := call.Common().StaticCallee(); sc != nil && sc.Object() == m {
					return sc
				}
			}
		}
	}
	return nil
}

// home is where a timer is kept: a field of a struct type or a package
// variable.
type home struct {
	st     types.Type
	field  int
	global *ssa.Global
}

// timerHome returns where the result of call is stored, or nil.
func timerHome(call ssa.CallInstruction) *home {
	v := call.Value()
	if v == nil || v.Referrers() == nil {
		return nil
	}
	for _, r := range *v.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Val == v {
			if h := addrHome(st.Addr); h != nil {
				return h
			}
		}
	}
	return nil
}

// loadedFrom returns where the value v was loaded from, or nil.
func loadedFrom(v ssa.Value) *home {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		return addrHome(u.X)
	}
	return nil
}

func addrHome(addr ssa.Value) *home {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		return &home{st: a.X.Type(), field: a.Field}
	case *ssa.Global:
		return &home{global: a}
	}
	return nil
}

func sameHome(a, b *home) bool {
	if a == nil || b == nil {
		return false
	}
	if a.global != nil || b.global != nil {
		return a.global == b.global
	}
	return a.field == b.field && types.Identical(a.st, b.st)
}

// PeriodicFuncs maps each function of funcs that runs once per period to
// the call that schedules it: a function value a scheduler runs
// (RepeatedCall: a literal or the declared function or method it names)
// and a declared function or method that time.AfterFunc runs and that
// re-arms itself (RearmedAfterFunc). The first such call in funcs' order
// is kept.
func PeriodicFuncs(funcs []*ssa.Function) map[*ssa.Function]Repeated {
	out := map[*ssa.Function]Repeated{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				r, ok := RepeatedCall(call)
				if !ok {
					r, ok = RearmedAfterFunc(call)
				}
				if !ok {
					continue
				}
				run, _ := RunFunc(r.Fn)
				if run == nil {
					continue
				}
				if run.Parent() == nil {
					run = declaredBody(run)
				}
				if _, seen := out[run]; run != nil && !seen {
					out[run] = r
				}
			}
		}
	}
	return out
}
