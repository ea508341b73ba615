package hotkey

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

// A receive from a one-shot timer (time.After, a time.Timer's C) fires once
// per arming. A write behind it repeats only when the loop arms the timer
// again every time it fires: time.After evaluated in the loop on every
// iteration before the receive (case <-time.After(d), t.Reset(d) then
// <-t.C), or a re-arm (a new time.After or
// time.NewTimer assigned to the variable received from, or Timer.Reset)
// that every path from the firing back to the loop's head runs. A timer
// armed once before the loop (an initial delay), or re-armed only on some
// paths (while a check keeps failing), is not a period.

// timerOrigin resolves a timer channel to the calls that make it: the
// time.After/Tick/NewTimer/NewTicker calls whose result (or whose C) it is,
// through variables, phis and fields; ok is false when some source is not
// such a call (a parameter, a field of unknown origin).
func timerOrigin(v ssa.Value) (calls []*ssa.Call, ok bool) {
	seen := map[ssa.Value]bool{}
	ok = true
	var walk func(v ssa.Value, depth int)
	walk = func(v ssa.Value, depth int) {
		if v == nil || seen[v] {
			return
		}
		if depth > 12 {
			ok = false
			return
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Const:
			// nil: a disabled case
		case *ssa.Phi:
			for _, e := range x.Edges {
				walk(e, depth+1)
			}
		case *ssa.ChangeType:
			walk(x.X, depth+1)
		case *ssa.UnOp:
			if x.Op != token.MUL {
				ok = false
				return
			}
			walk(x.X, depth+1)
		case *ssa.FieldAddr:
			walk(x.X, depth+1)
		case *ssa.Field:
			walk(x.X, depth+1)
		case *ssa.Alloc:
			forCellStores(x, func(s ssa.Value) { walk(s, depth+1) })
		case *ssa.Call:
			if isTimeFunc(&x.Call, "After", "Tick", "NewTimer", "NewTicker") {
				calls = append(calls, x)
				return
			}
			ok = false
		default:
			ok = false
		}
	}
	walk(v, 0)
	return calls, ok
}

// rearmed reports whether the timer channel ch, received from in block
// fired of loop l, delivers on every period: a ticker, a channel the pass
// cannot trace, or a one-shot timer the loop arms again every time it
// fires.
func rearmed(l *dataflow.Loop, ch ssa.Value, fired *ssa.BasicBlock) bool {
	if ch == nil || fired == nil {
		return true
	}
	calls, ok := timerOrigin(ch)
	if !ok || len(calls) == 0 {
		return true
	}
	arms := map[*ssa.BasicBlock]bool{}
	for _, c := range calls {
		if isTimeFunc(&c.Call, "Tick", "NewTicker") {
			return true
		}
		if l.Contains(c.Block()) {
			arms[c.Block()] = true
		}
	}
	for b := range l.Body {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && isTimeFunc(call.Common(), "Timer.Reset") {
				arms[b] = true
			}
		}
	}
	for a := range arms {
		if a.Dominates(fired) {
			return true // armed in the iteration, before it fires
		}
	}
	return len(arms) > 0 && everyPathRuns(l, fired, arms)
}

// everyPathRuns reports whether every path in l from the start of block
// from back to l's header runs one of the blocks in arms (from included; a
// block that starts the loop again before an arm does not count).
func everyPathRuns(l *dataflow.Loop, from *ssa.BasicBlock, arms map[*ssa.BasicBlock]bool) bool {
	if arms[from] {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{from: true}
	work := []*ssa.BasicBlock{from}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range b.Succs {
			if s == l.Header {
				return false // back at the head without arming
			}
			if !l.Contains(s) || arms[s] || seen[s] {
				continue
			}
			seen[s] = true
			work = append(work, s)
		}
	}
	return true
}
