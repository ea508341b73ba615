package lostwatch

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/report"
)

// checkFuncs reports, in each function, the watches whose end goes
// unnoticed and the loops that re-open watches badly.
func (c *checker) checkFuncs(funcs []*ssa.Function) {
	for _, fn := range funcs {
		// A function literal (a goroutine a constructor starts, a
		// callback) is judged as a function of its own: the watches it
		// opens and the loops in it are its own.
		if fn.Blocks == nil || c.inTest(fn.Pos()) {
			continue
		}
		c.rep.Guard(fn.Pos(), fn.String(), func() {
			c.checkEnds(fn)
			c.checkRetries(fn)
		})
	}
}

// cause is why a watch can end while its consumer still wants it.
type cause int

const (
	causeNone      cause = iota
	causeRev             // WithRev(r): ErrCompacted once r is compacted
	causeLeader          // WithRequireLeader: ErrNoLeader when the member loses the leader
	causeNeverEnds       // a context that never ends: only the server ends the watch
)

// ctxInfo classifies the watch's context: whether it requires a leader,
// whether it comes from context.Background/TODO, and whether the function
// may cancel it itself (a cancel func used other than in a defer).
func ctxInfo(ctx ssa.Value) (leader, background, selfCancel bool) {
	seen := map[ssa.Value]bool{}
	for v := ctx; v != nil && !seen[v] && len(seen) < maxWalk; {
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Call:
			fn := dataflow.Callee(&x.Call)
			switch {
			case etcdapi.IsWithRequireLeader(fn):
				leader = true
				v = dataflow.Arg(&x.Call, 0)
				continue
			case fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "context" && (fn.Name() == "Background" || fn.Name() == "TODO"):
				background = true
				return
			case fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "context" && fn.Name() == "WithValue":
				v = dataflow.Arg(&x.Call, 0)
				continue
			}
			return leader, false, selfCancel
		case *ssa.Extract:
			call, ok := x.Tuple.(*ssa.Call)
			if !ok {
				return leader, false, selfCancel
			}
			fn := dataflow.Callee(&call.Call)
			if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
				return leader, false, selfCancel
			}
			if cancelledHere(call) {
				selfCancel = true
			}
			v = dataflow.Arg(&call.Call, 0)
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return leader, false, selfCancel
		}
	}
	return leader, false, selfCancel
}

// cancelledHere reports whether the cancel func of a context.With* call is
// called, passed or kept anywhere but in a defer.
func cancelledHere(call *ssa.Call) bool {
	refs := call.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		e, ok := r.(*ssa.Extract)
		if !ok || e.Index != 1 {
			continue
		}
		erefs := e.Referrers()
		if erefs == nil {
			continue
		}
		for _, u := range *erefs {
			if d, ok := u.(*ssa.Defer); ok && d.Call.Value == e {
				continue
			}
			return true
		}
	}
	return false
}

// causeOf says why the watch s can end while its consumer still wants it.
func causeOf(s site) cause {
	if len(s.revs) > 0 {
		return causeRev
	}
	if s.ctx == nil {
		return causeNone
	}
	leader, background, self := ctxInfo(s.ctx)
	switch {
	case self:
		return causeNone
	case leader:
		return causeLeader
	case background:
		return causeNeverEnds
	}
	return causeNone
}

// checkEnds reports the watches of fn whose consumer, when the watch ends
// for a reason other than its own context, returns as if nothing happened.
func (c *checker) checkEnds(fn *ssa.Function) {
	obj, _ := fn.Object().(*types.Func)
	if obj != nil && c.calledInLoop[obj.Origin()] || c.literalRerun[fn] {
		return // a caller's loop runs it again: the retry rules judge that loop
	}
	for _, s := range c.sites(fn) {
		if !s.ch || s.ctx == nil {
			continue
		}
		if _, _, self := ctxInfo(s.ctx); self {
			continue // the function cancels the watch itself
		}
		cs := causeOf(s)
		if cs == causeNone {
			continue // a watch that ends with its context
		}
		leader, _, _ := ctxInfo(s.ctx)
		recvs := c.receives(fn, s)
		for _, rcv := range recvs {
			if cs == causeRev && !leader && len(rcv.errs) > 0 {
				// etcd ends this watch only with ErrCompacted, which the
				// client delivers as a response (Canceled, CompactRevision
				// set) before it closes the channel: a consumer that
				// handles that response sees every such end, and the closed
				// channel then means its own context ended.
				rcv.ends = rcv.compacted
			}
			ret, how := c.silentEnd(rcv, recvs)
			if how == endHandled {
				continue
			}
			pos := ret.Pos()
			if !pos.IsValid() {
				pos = rcv.instr.Pos()
			}
			c.rep.Report(report.Diagnostic{
				Pos:      pos,
				Message:  endMessage(cs, how),
				Category: "lostwatch",
				Related:  []analysis.RelatedInformation{report.Related(s.call.Pos(), "the watch is opened here")},
			})
			break
		}
	}
}

// How a consumer leaves when its watch ends.
type endKind int

const (
	endHandled endKind = iota // returns an error or result, re-watches, signals
	endSilent                 // returns nothing, or a nil error
	endCtxErr                 // returns ctx.Err() without testing it
)

// silentEnd follows the paths from rcv's end blocks (closed channel,
// response error) in rcv's function and returns the first return that
// tells nobody the watch ended, and how.
func (c *checker) silentEnd(rcv recv, all []recv) (*ssa.Return, endKind) {
	same := map[ssa.Instruction]bool{}
	for _, r := range all {
		same[r.instr] = true
	}
	if signalsOnExit(rcv.fn) {
		return nil, endHandled
	}
	// A path that waited on a context's Done channel returns after the
	// context ended: what it returns then is right.
	type item struct {
		b    *ssa.BasicBlock
		done bool
	}
	seen := map[item]bool{}
	var work []item
	for _, b := range rcv.ends {
		work = append(work, item{b, false})
	}
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		if seen[it] {
			continue
		}
		seen[it] = true
		stop, done := false, it.done
		for _, instr := range it.b.Instrs {
			if same[instr] || c.handles(instr) {
				stop = true
				break
			}
			if waitsDone(instr) || ctxChecked(instr) {
				done = true
			}
			if ret, ok := instr.(*ssa.Return); ok {
				if k := silentReturn(rcv.fn, ret); k != endHandled && !done {
					return ret, k
				}
				stop = true
			}
		}
		if !stop {
			for _, s := range it.b.Succs {
				work = append(work, item{s, done})
			}
		}
	}
	return nil, endHandled
}

// ctxChecked reports whether instr compares a context's Err() (if
// ctx.Err() != nil, for ctx.Err() == nil): the paths after it are the
// program's own answer to the context's end.
func ctxChecked(instr ssa.Instruction) bool {
	b, ok := instr.(*ssa.BinOp)
	if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
		return false
	}
	for _, v := range []ssa.Value{b.X, b.Y} {
		if call, ok := v.(*ssa.Call); ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Err" && isContext(call.Call.Value.Type()) {
			return true
		}
	}
	return false
}

// waitsDone reports whether instr receives from a context's Done channel
// or another stop signal (alone or as a select case). A channel of
// struct{} carries nothing but the signal that something is over (a
// closer's CloseNotify, a stop or quit channel, a context's Done behind a
// helper): a return after it is the program stopping, as after ctx.Done().
func waitsDone(instr ssa.Instruction) bool {
	isDone := func(ch ssa.Value) bool {
		if call, ok := ch.(*ssa.Call); ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Done" && isContext(call.Call.Value.Type()) {
			return true
		}
		c, ok := ch.Type().Underlying().(*types.Chan)
		if !ok {
			return false
		}
		elem, ok := c.Elem().Underlying().(*types.Struct)
		return ok && elem.NumFields() == 0
	}
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.Op == token.ARROW && isDone(x.X)
	case *ssa.Select:
		for _, st := range x.States {
			if st.Dir == types.RecvOnly && isDone(st.Chan) {
				return true
			}
		}
	}
	return false
}

// handles reports whether instr tells someone the watch ended or starts a
// new one: a watch opened again, a send, a close, a panic, a call of a
// function value (a callback).
func (c *checker) handles(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.Send, *ssa.Panic:
		return true
	case ssa.CallInstruction:
		common := x.Common()
		if b, ok := common.Value.(*ssa.Builtin); ok {
			return b.Name() == "close"
		}
		callee := dataflow.Callee(common)
		if callee == nil {
			return true // a function value: a callback
		}
		if op, ok := etcdapi.Lookup(callee); ok {
			return op.Kind == etcdapi.Watch
		}
		if etcdapi.IsWatchLike(callee) {
			return true
		}
		if f := c.factFor(common); f != nil && (f.Opens || f.Until) {
			return true
		}
		if p := callee.Pkg(); p != nil && (p.Path() == "os" && callee.Name() == "Exit" || p.Path() == "log" && (callee.Name() == "Fatal" || callee.Name() == "Fatalf" || callee.Name() == "Panic" || callee.Name() == "Panicf")) {
			return true
		}
	}
	return false
}

// signalsOnExit reports whether fn closes a channel or calls a callback in
// a defer: its callers learn that it returned.
func signalsOnExit(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			if bi, ok := d.Call.Value.(*ssa.Builtin); ok && bi.Name() == "close" {
				return true
			}
			if mc, ok := d.Call.Value.(*ssa.MakeClosure); ok {
				if f, ok := mc.Fn.(*ssa.Function); ok {
					for _, fb := range f.Blocks {
						for _, fi := range fb.Instrs {
							if call, ok := fi.(ssa.CallInstruction); ok {
								if bi, ok := call.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" {
									return true
								}
							}
						}
					}
				}
			}
		}
	}
	return false
}

// silentReturn classifies a return of fn on a watch's end path.
func silentReturn(fn *ssa.Function, ret *ssa.Return) endKind {
	res := fn.Signature.Results()
	if res.Len() == 0 {
		return endSilent
	}
	kind := endSilent
	for i := range res.Len() {
		if !isError(res.At(i).Type()) || i >= len(ret.Results) {
			return endHandled
		}
		v := ret.Results[i]
		switch {
		case isNil(v):
		case uncheckedCtxErr(v):
			kind = endCtxErr
		default:
			return endHandled
		}
	}
	return kind
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// uncheckedCtxErr reports whether v is ctx.Err() returned without being
// compared first.
func uncheckedCtxErr(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok || !call.Call.IsInvoke() || call.Call.Method.Name() != "Err" || !isContext(call.Call.Value.Type()) {
		return false
	}
	refs := call.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.BinOp); ok {
			return false
		}
	}
	return true
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

func endMessage(cs cause, how endKind) string {
	var why string
	switch cs {
	case causeRev:
		why = "etcd cancels a watch opened WithRev once that revision is compacted (ErrCompacted) and closes its channel"
	case causeLeader:
		why = "etcd cancels a watch on a WithRequireLeader context (ErrNoLeader) whenever its member loses the leader and closes its channel"
	default:
		why = "this watch's context never ends, so its channel closes only when etcd cancels the watch (compaction, lost leader, permission denied, client closed)"
	}
	if how == endCtxErr {
		return why + "; returning ctx.Err() here returns nil while the context is live, so the caller takes the lost watch for a clean shutdown and nothing follows the keys any more: return ctx.Err() only when it is non-nil, otherwise re-watch (from CompactRevision or a fresh Get, after a pause) or return the watch's error"
	}
	return why + "; this return stops following the keys without an error and nothing restarts the watch: check resp.Err() and re-watch (from CompactRevision or a fresh Get, after a pause) or return the error"
}

// baseCtx returns the context ctx is made from by WithRequireLeader or
// context.WithValue (neither ends it sooner), or ctx itself.
func baseCtx(ctx ssa.Value) ssa.Value {
	for range maxWalk {
		switch x := ctx.(type) {
		case *ssa.Call:
			fn := dataflow.Callee(&x.Call)
			if !etcdapi.IsWithRequireLeader(fn) && (fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" || fn.Name() != "WithValue") {
				return ctx
			}
			ctx = dataflow.Arg(&x.Call, 0)
		case *ssa.ChangeInterface:
			ctx = x.X
		default:
			return ctx
		}
		if ctx == nil {
			return nil
		}
	}
	return ctx
}
