package hotkey

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"
	"time"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// isTimeChan reports whether v is a channel of time.Time: a Ticker's or
// Timer's C, time.After, time.Tick, or an application's own timer.
func isTimeChan(v ssa.Value) bool {
	if v == nil {
		return false
	}
	ch, ok := v.Type().Underlying().(*types.Chan)
	return ok && isTime(ch.Elem())
}

func isTime(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Time"
}

func isTimeFunc(c *ssa.CallCommon, names ...string) bool {
	fn := dataflow.Callee(c)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "time" {
		return false
	}
	name := fn.Name()
	if n := dataflow.RecvName(fn); n != "" {
		name = n + "." + name
	}
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// duration spells a constant time.Duration, or "".
func duration(v ssa.Value) string {
	for range 4 {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.Const:
			if x.Value != nil && x.Value.Kind() == constant.Int {
				if n, ok := constant.Int64Val(x.Value); ok && n > 0 {
					return time.Duration(n).String()
				}
			}
		}
		return ""
	}
	return ""
}

// chanPeriod finds the constant period of a timer channel made by
// time.NewTicker, NewTimer, After or Tick, or "".
func chanPeriod(v ssa.Value) string {
	for range 8 {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return ""
			}
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Call:
			if isTimeFunc(&x.Call, "NewTicker", "NewTimer", "After", "Tick") && len(x.Call.Args) > 0 {
				return duration(x.Call.Args[0])
			}
			return ""
		case *ssa.Phi:
			// a timer variable re-armed in the loop: the one period of
			// every arming (nil edges disable the case)
			return phiPeriod(x)
		default:
			return ""
		}
	}
	return ""
}

func phiPeriod(phi *ssa.Phi) string {
	out := ""
	for _, e := range phi.Edges {
		if isNil(e) || e == phi {
			continue
		}
		if _, ok := e.(*ssa.Phi); ok {
			return "" // nested variables: not followed
		}
		p := chanPeriod(e)
		if p == "" || (out != "" && p != out) {
			return ""
		}
		out = p
	}
	return out
}

// pacing describes what paces a loop's iterations.
type pacing struct {
	timer   bool // a timer wait: receive of time.Time, a select with such a case, time.Sleep
	event   bool // a blocking receive or select without a timer case
	waitPos token.Pos
	periods []string // constant periods of the timer waits ("" when unknown)
}

func pacingOf(fn *ssa.Function, l *dataflow.Loop) pacing {
	var p pacing
	timer := func(pos token.Pos, period string) {
		if !p.timer || !p.waitPos.IsValid() {
			p.waitPos = pos
		}
		p.timer = true
		p.periods = append(p.periods, period)
	}
	for _, b := range fn.Blocks {
		if !l.Contains(b) {
			continue
		}
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					if isTimeChan(instr.X) {
						timer(instr.Pos(), chanPeriod(instr.X))
					} else {
						p.event = true
					}
				}
			case *ssa.Select:
				hasTimer, hasOther := false, false
				for _, st := range instr.States {
					if st.Dir == types.RecvOnly && isTimeChan(st.Chan) {
						hasTimer = true
						timer(st.Pos, chanPeriod(st.Chan))
					} else {
						hasOther = true
					}
				}
				if !hasTimer && hasOther && instr.Blocking {
					p.event = true
				}
			case ssa.CallInstruction:
				if isTimeFunc(instr.Common(), "Sleep") && len(instr.Common().Args) > 0 {
					timer(instr.Pos(), duration(instr.Common().Args[0]))
				}
			}
		}
	}
	return p
}

// period returns the one constant period of p's timer waits, or "".
func (p pacing) period() string {
	out := ""
	for _, q := range p.periods {
		if q == "" || (out != "" && q != out) {
			return ""
		}
		out = q
	}
	return out
}

// dominators returns the blocks that dominate b inside the region, b first.
func dominators(b *ssa.BasicBlock, in func(*ssa.BasicBlock) bool) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	for d := b; d != nil && in(d) && len(out) < 256; d = d.Idom() {
		out = append(out, d)
	}
	return out
}

// gate is the gating of a write inside a region: the receives and
// conditions that must happen for the write to run.
type gate struct {
	eventRecv  bool   // a receive from a non-timer channel, or its select case
	timerCase  string // the period of the timer select case or receive the write follows ("" unknown)
	timerGated bool
	timerChan  ssa.Value       // the channel of that case or receive
	timerBlock *ssa.BasicBlock // the block that runs when it fires
	varying    bool            // a filter on a condition that changes between iterations
	changed    bool            // a change check, a dirty flag, an error path, or a branch on what etcd returned
}

// gateOf inspects the dominators of the write inside the region.
func gateOf(instr ssa.Instruction, values []ssa.Value, in func(*ssa.BasicBlock) bool, fx *fixedness) gate {
	var g gate
	doms := dominators(instr.Block(), in)
	for i, d := range doms {
		// receives before the write in d
		for _, x := range d.Instrs {
			if i == 0 && x == instr {
				break
			}
			if u, ok := x.(*ssa.UnOp); ok && u.Op == token.ARROW {
				if isTimeChan(u.X) {
					if !g.timerGated {
						g.timerGated, g.timerCase = true, chanPeriod(u.X)
						g.timerChan, g.timerBlock = u.X, d
					}
				} else {
					g.eventRecv = true
				}
			}
		}
		if len(d.Preds) != 1 {
			continue
		}
		p := d.Preds[0]
		if !in(p) || len(p.Instrs) == 0 {
			continue
		}
		ifi, ok := dataflow.LastIf(p)
		if !ok || len(p.Succs) != 2 {
			continue
		}
		side := 0
		if p.Succs[1] == d {
			side = 1
		}
		if sel, k, ok := selectCase(ifi.Cond); ok && side == 0 {
			if k < len(sel.States) {
				st := sel.States[k]
				if st.Dir == types.RecvOnly && isTimeChan(st.Chan) {
					if !g.timerGated {
						g.timerGated, g.timerCase = true, chanPeriod(st.Chan)
						g.timerChan, g.timerBlock = st.Chan, d
					}
				} else {
					g.eventRecv = true
				}
			}
			continue
		}
		if isChangeCheck(ifi.Cond, side, values) || (side == 0 && isDirtyFlag(ifi.Cond, instr.Parent())) ||
			onErrorPath(ifi.Cond, side) || (!isErrCheck(ifi.Cond) && readsEtcd(ifi.Cond, 0)) {
			g.changed = true
		}
		// A filter: the other side skips the write and stays in the
		// region (an early exit, if err != nil { return err }, is not one).
		if fx != nil && in(p.Succs[1-side]) && !fx.fixed(ifi.Cond) {
			g.varying = true
		}
	}
	return g
}

// selectCase recognises the "case k" test that follows a select: the
// select's chosen index (extract #0) compared with the constant k.
func selectCase(cond ssa.Value) (*ssa.Select, int, bool) {
	b, ok := cond.(*ssa.BinOp)
	if !ok || b.Op != token.EQL {
		return nil, 0, false
	}
	ex, ok := b.X.(*ssa.Extract)
	if !ok || ex.Index != 0 {
		return nil, 0, false
	}
	sel, ok := ex.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0, false
	}
	c, ok := b.Y.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return nil, 0, false
	}
	k, ok := constant.Int64Val(c.Value)
	if !ok || k < 0 {
		return nil, 0, false
	}
	return sel, int(k), true
}

// isChangeCheck reports whether taking successor side of a branch on cond
// means "the compared values differ", and one compared value shares a
// source with the written values (any, when the write's values are unknown).
func isChangeCheck(cond ssa.Value, side int, values []ssa.Value) bool {
	negate := false
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		negate = !negate
		cond = u.X
	}
	differs := -1 // the side on which the values differ
	var x, y ssa.Value
	switch c := cond.(type) {
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			return false
		}
		if _, ok := c.X.(*ssa.Const); ok {
			return false
		}
		if _, ok := c.Y.(*ssa.Const); ok {
			return false
		}
		x, y = c.X, c.Y
		if c.Op == token.NEQ {
			differs = 0
		} else {
			differs = 1
		}
	case *ssa.Call:
		fn := dataflow.Callee(&c.Call)
		if fn == nil {
			return false
		}
		args := c.Call.Args
		if c.Call.IsInvoke() {
			args = append([]ssa.Value{c.Call.Value}, args...)
		}
		switch fn.Name() {
		case "Equal", "DeepEqual", "EqualFold", "Equals":
		default:
			return false
		}
		if len(args) != 2 {
			return false
		}
		x, y = args[0], args[1]
		differs = 1
	default:
		return false
	}
	if negate {
		differs = 1 - differs
	}
	if side != differs {
		return false
	}
	if len(values) == 0 {
		return true
	}
	return shareRoot(x, values) || shareRoot(y, values)
}

func shareRoot(v ssa.Value, values []ssa.Value) bool {
	mine := map[ssa.Value]bool{}
	dataflow.Roots(v, func(r ssa.Value) {
		if _, ok := r.(*ssa.Const); !ok {
			mine[r] = true
		}
	})
	found := false
	for _, w := range values {
		dataflow.Roots(w, func(r ssa.Value) {
			if mine[r] {
				found = true
			}
		})
	}
	return found
}

func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value == nil
}

// bound returns the constant iteration bound of a counted loop: its number
// of runs when its start is a constant too (i := 0; i < N, i := N; i > 0,
// range over an array of N), else the constant it is tested against; and
// whether the loop counts over something at all (a counted loop, or a
// range over a map or string).
func bound(l *dataflow.Loop) (n int64, constBound, counted bool) {
	t := dataflow.LoopTrips(l, nil)
	if t.Next != nil {
		return 0, false, true // range over a map or a string
	}
	if t.Counter == nil {
		return 0, false, false
	}
	switch t.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ, token.NEQ:
	default:
		return 0, false, false
	}
	if t.Kind == dataflow.Constant {
		if v, ok := t.Runs(); ok {
			return v, true, true
		}
	}
	if v, ok := dataflow.IntConst(t.Limit); ok {
		if v < 0 {
			v = -v
		}
		return v, true, true
	}
	return 0, false, true
}

// rangeIndex returns what identifies the element of a loop that ranges over
// a whole collection: the index of a range over a slice or an array, or of
// a counted loop up to len(X) (the value tested, i or the builder's i+1),
// or the iterator of a range over a map; nil for any other loop.
func rangeIndex(l *dataflow.Loop) ssa.Value {
	t := dataflow.LoopTrips(l, nil)
	if t.Next != nil && !t.Next.IsString {
		return t.Next
	}
	if t.Counter == nil || t.Test.Op != token.LSS || t.Test.X != t.Tested {
		return nil
	}
	switch y := t.Limit.(type) {
	case *ssa.Const:
		return t.Tested // a range over an array
	case *ssa.Call:
		if b, ok := y.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" {
			return t.Tested
		}
	}
	return nil
}

// isDirtyFlag recognises a "changed since the last write" flag: a boolean
// read from a field or a package variable that the same function stores
// to (if s.dirty { put; s.dirty = false }), or an atomic Swap or
// CompareAndSwap (if s.dirty.Swap(false) { put }).
func isDirtyFlag(cond ssa.Value, fn *ssa.Function) bool {
	if c, ok := cond.(*ssa.Call); ok {
		callee := dataflow.Callee(&c.Call)
		return callee != nil && callee.Pkg() != nil && callee.Pkg().Path() == "sync/atomic" &&
			(callee.Name() == "Swap" || callee.Name() == "CompareAndSwap" ||
				strings.HasPrefix(callee.Name(), "SwapInt") || strings.HasPrefix(callee.Name(), "CompareAndSwapInt"))
	}
	load, ok := cond.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || fn == nil {
		return false
	}
	same := func(addr ssa.Value) bool {
		switch a := load.X.(type) {
		case *ssa.Global:
			return addr == a
		case *ssa.FieldAddr:
			b, ok := addr.(*ssa.FieldAddr)
			return ok && b.Field == a.Field && types.Identical(b.X.Type(), a.X.Type())
		}
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && same(st.Addr) {
				return true
			}
		}
	}
	return false
}

var errorType = types.Universe.Lookup("error").Type()

// onErrorPath reports whether taking successor side of a branch on cond
// means an error happened (err != nil, err == ErrX, errors.Is): a write
// there is a recovery, such as registering again after a lease was lost.
func onErrorPath(cond ssa.Value, side int) bool {
	errSide := -1
	switch c := cond.(type) {
	case *ssa.BinOp:
		if c.Op != token.EQL && c.Op != token.NEQ {
			return false
		}
		if !types.Identical(c.X.Type(), errorType) && !types.Identical(c.Y.Type(), errorType) {
			return false
		}
		withNil := isNil(c.X) || isNil(c.Y)
		switch {
		case c.Op == token.NEQ && withNil, c.Op == token.EQL && !withNil:
			errSide = 0
		default:
			errSide = 1
		}
	case *ssa.Call:
		fn := dataflow.Callee(&c.Call)
		if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "errors" && (fn.Name() == "Is" || fn.Name() == "As") {
			errSide = 0
		}
	}
	return side == errSide
}

// isErrCheck reports whether cond compares an error with nil: on its
// success side, a read that succeeded says nothing about what it found.
func isErrCheck(cond ssa.Value) bool {
	c, ok := cond.(*ssa.BinOp)
	if !ok || (c.Op != token.EQL && c.Op != token.NEQ) {
		return false
	}
	return (isNil(c.X) && types.Identical(c.Y.Type(), errorType)) || (isNil(c.Y) && types.Identical(c.X.Type(), errorType))
}

// readsEtcd reports whether cond depends on what an etcd read returned
// (if len(resp.Kvs) == 0 { put }): the write reconciles etcd's state. The
// read may be assigned to a variable in a function literal (a goroutine the
// loop waits for with a WaitGroup, or a closure it calls).
func readsEtcd(v ssa.Value, depth int) bool {
	if v == nil || depth > 12 {
		return false
	}
	switch x := v.(type) {
	case *ssa.Call:
		if op, ok := etcdapi.Lookup(dataflow.Callee(&x.Call)); ok {
			return op.Kind == etcdapi.Get || op.Kind == etcdapi.TxnCommit || op.Kind == etcdapi.Do
		}
		if _, ok := x.Call.Value.(*ssa.Builtin); ok {
			for _, a := range x.Call.Args {
				if readsEtcd(a, depth+1) {
					return true
				}
			}
		}
	case *ssa.Extract:
		return readsEtcd(x.Tuple, depth+1)
	case *ssa.UnOp:
		return readsEtcd(x.X, depth+1)
	case *ssa.BinOp:
		return readsEtcd(x.X, depth+1) || readsEtcd(x.Y, depth+1)
	case *ssa.Field:
		return readsEtcd(x.X, depth+1)
	case *ssa.FieldAddr:
		return readsEtcd(x.X, depth+1)
	case *ssa.Index:
		return readsEtcd(x.X, depth+1)
	case *ssa.IndexAddr:
		return readsEtcd(x.X, depth+1)
	case *ssa.Convert:
		return readsEtcd(x.X, depth+1)
	case *ssa.ChangeType:
		return readsEtcd(x.X, depth+1)
	case *ssa.Phi:
		for _, e := range x.Edges {
			if readsEtcd(e, depth+1) {
				return true
			}
		}
	case *ssa.Alloc, *ssa.FreeVar:
		// A variable: what was assigned to it, here or in a closure that
		// captures it (resp, err = cli.Get(...) in a goroutine the loop
		// waits for).
		found := false
		if a := cellOf(x); a != nil {
			forCellStores(a, func(v ssa.Value) { found = found || readsEtcd(v, depth+1) })
		}
		return found
	}
	return false
}
