package watchleak

import (
	"go/constant"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
)

// edge is an edge of a function's control-flow graph.
type edge struct{ from, to *ssa.BasicBlock }

// leak is where a resource outlives the scope it must end in.
type leak struct {
	ret   token.Pos // the return that abandons it
	again bool      // the loop opens it again before it is ended
}

// leakPath looks for a path from o's creation to a return, or back to the
// creation (the next iteration of a loop opens another), on which the
// resource is neither released nor handed off. A deferred release covers
// the returns after it but not the next iteration. The path where the
// creation failed (err != nil) and a branch where the resource is nil are
// not followed: nothing was opened there.
func (c *Checker) leakPath(o opening, f *fate) (leak, bool) {
	if f.gaveUp {
		return leak{}, false
	}
	create := o.call.Block()
	stop := map[*ssa.BasicBlock]bool{}
	deferAt := map[*ssa.BasicBlock]bool{}
	for _, s := range f.sites {
		if s.deferred {
			deferAt[s.block] = true
		} else {
			stop[s.block] = true
		}
	}
	if stop[create] {
		return leak{}, false
	}
	pruned := c.prunedEdges(o, f)
	// A Watcher holds nothing before its first Watch: a path that has not
	// passed one (watchPoints) leaks nothing. Other resources hold from the
	// opening on.
	watchAt := c.watchPoints(o, f)
	type state struct {
		b        *ssa.BasicBlock
		deferred bool
		watched  bool
	}
	seen := map[state]bool{}
	var queue []state
	push := func(from *ssa.BasicBlock, d, w bool) {
		for _, s := range from.Succs {
			if pruned[edge{from, s}] {
				continue
			}
			st := state{s, d, w}
			if !seen[st] {
				seen[st] = true
				queue = append(queue, st)
			}
		}
	}
	push(create, deferAt[create], watchAt == nil || watchAt[create])
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		b := st.b
		if b == create {
			if !st.watched {
				continue
			}
			return leak{again: true}, true
		}
		if stop[b] {
			continue
		}
		d := st.deferred || deferAt[b]
		w := st.watched || watchAt[b]
		if len(b.Instrs) > 0 {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				if d || !w {
					continue
				}
				pos := ret.Pos()
				if !pos.IsValid() {
					pos = closingBrace(b.Parent())
				}
				return leak{ret: pos}, true
			}
		}
		push(b, d, w)
	}
	return leak{}, false
}

// prunedEdges returns the edges on which o's resource does not exist: the
// branch where its creation's error is not nil, and the branch where a
// value holding it is nil.
func (c *Checker) prunedEdges(o opening, f *fate) map[edge]bool {
	out := map[edge]bool{}
	var errv ssa.Value
	if tup, ok := o.call.Type().(*types.Tuple); ok && tup.Len() > 1 &&
		types.Identical(tup.At(tup.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		if refs := o.call.Referrers(); refs != nil {
			for _, r := range *refs {
				if e, ok := r.(*ssa.Extract); ok && e.Index == tup.Len()-1 {
					errv = e
				}
			}
		}
	}
	for _, b := range o.call.Parent().Blocks {
		iff, ok := dataflow.LastIf(b)
		if !ok {
			continue
		}
		cmp, ok := iff.Cond.(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			continue
		}
		x := nonNil(cmp)
		if x == nil {
			continue
		}
		// The successors where x is nil and where it is not.
		nilSucc, notNilSucc := b.Succs[1], b.Succs[0]
		if cmp.Op == token.EQL {
			nilSucc, notNilSucc = notNilSucc, nilSucc
		}
		if nilSucc == notNilSucc {
			continue
		}
		switch {
		case errv != nil && sameErr(x, errv):
			out[edge{b, notNilSucc}] = true
		case f.vals[x]:
			out[edge{b, nilSucc}] = true
		}
	}
	return out
}

// sameErr reports whether x is the error errv: errv itself, or a load of a
// variable errv is stored in (a variable a literal also assigns, such as
// err in a deferred func() { err = cli.Close() }()).
func sameErr(x, errv ssa.Value) bool {
	if x == errv {
		return true
	}
	ld, ok := x.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	a, ok := ld.X.(*ssa.Alloc)
	if !ok || errv.Referrers() == nil {
		return false
	}
	for _, r := range *errv.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a && st.Val == errv && st.Block() == ld.Block() {
			return true
		}
	}
	return false
}

// nonNil returns the operand of cmp compared with nil, or nil.
func nonNil(cmp *ssa.BinOp) ssa.Value {
	if isNil(cmp.Y) {
		return cmp.X
	}
	if isNil(cmp.X) {
		return cmp.Y
	}
	return nil
}

func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value == nil
}

// natLoops caches a function's natural loops.
func (c *Checker) natLoops(fn *ssa.Function) []*dataflow.Loop {
	if l, ok := c.nat[fn]; ok {
		return l
	}
	l := dataflow.NaturalLoops(fn)
	c.nat[fn] = l
	return l
}

// iteration returns the innermost loop whose every iteration runs o's
// opening, or nil.
func (c *Checker) iteration(o opening) *dataflow.Loop {
	ls := dataflow.Enclosing(c.natLoops(o.call.Parent()), o.call.Block())
	if len(ls) == 0 {
		return nil
	}
	return ls[0]
}

// endsPerIteration reports whether a context ends within each iteration of
// loop: it has a deadline, or it is made in the loop by a WithCancel whose
// cancel is used.
func endsPerIteration(ctx summary.Ctx, loop *dataflow.Loop) bool {
	if ctx.Class != summary.CtxBounded {
		return false
	}
	for _, e := range ctx.Ends {
		fn := dataflow.Callee(&e.Call)
		if fn != nil && fn.Name() != "WithCancel" && fn.Name() != "WithCancelCause" {
			return true // a deadline
		}
		if loop.Contains(e.Block()) {
			return true
		}
	}
	return false
}

// exitKind is how control leaves a loop that receives from a channel.
type exitKind int

const (
	exitData exitKind = iota // after handling a response: return, break
	exitStop                 // on another channel of a select (a stop channel, a Done)
)

// exit is one way out of a loop that receives from the resource's channel
// without the channel being closed.
type exit struct {
	kind exitKind
	pos  token.Pos
	stop ssa.Value // the other channel, for exitStop
}

// earlyExits returns the ways out of the loops that receive from the
// channel repeatedly (f.drains) other than the channel being closed: a
// receive whose ok is false, a nil keep-alive response, a watch response
// with Err() != nil or Canceled (etcd closes the channel after it).
func (c *Checker) earlyExits(f *fate) []exit {
	var out []exit
	seen := map[edge]bool{}
	for _, r := range f.drains {
		g := r.Block().Parent()
		ls := dataflow.Enclosing(c.natLoops(g), r.Block())
		if len(ls) == 0 {
			continue
		}
		loop := ls[0]
		closed := closedSuccs(g, f)
		cases := selectCases(r)
		for b := range loop.Body {
			for _, s := range b.Succs {
				if loop.Contains(s) || seen[edge{b, s}] {
					continue
				}
				seen[edge{b, s}] = true
				if isClosedExit(closed, b, s) {
					continue
				}
				e := exit{kind: exitData, pos: exitPos(s)}
				for k, cb := range cases {
					if cb == s || cb.Dominates(b) {
						if ch := r.(*ssa.Select).States[k].Chan; !f.vals[ch] {
							e.kind, e.stop = exitStop, ch
						}
					}
				}
				if !e.pos.IsValid() {
					e.pos = r.Pos()
				}
				out = append(out, e)
			}
		}
	}
	// loop.Body is a map: report the first exit in the source, the same on every run.
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

func isClosedExit(closed []*ssa.BasicBlock, b, s *ssa.BasicBlock) bool {
	for _, cs := range closed {
		if cs == s || cs.Dominates(b) {
			return true
		}
	}
	return false
}

// exitPos is where control leaving a loop into s goes: its return, or its
// first positioned instruction.
func exitPos(s *ssa.BasicBlock) token.Pos {
	for b, n := s, 0; b != nil && n < 4; n++ {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && ret.Pos().IsValid() {
			return ret.Pos()
		}
		if len(b.Succs) != 1 {
			break
		}
		b = b.Succs[0]
	}
	for _, instr := range s.Instrs {
		switch instr.(type) {
		case *ssa.Phi, *ssa.DebugRef:
			continue
		}
		if instr.Pos().IsValid() {
			return instr.Pos()
		}
	}
	return token.NoPos
}

// selectCases maps the index of each case of the select r (if r is one) to
// the block that case runs in.
func selectCases(r ssa.Instruction) map[int]*ssa.BasicBlock {
	sel, ok := r.(*ssa.Select)
	if !ok || sel.Referrers() == nil {
		return nil
	}
	out := map[int]*ssa.BasicBlock{}
	for _, u := range *sel.Referrers() {
		e, ok := u.(*ssa.Extract)
		if !ok || e.Index != 0 || e.Referrers() == nil {
			continue
		}
		for _, w := range *e.Referrers() {
			cmp, ok := w.(*ssa.BinOp)
			if !ok || cmp.Op != token.EQL || cmp.Referrers() == nil {
				continue
			}
			k, ok := cmp.Y.(*ssa.Const)
			if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
				continue
			}
			i, exact := constant.Int64Val(k.Value)
			if !exact || i < 0 || int(i) >= len(sel.States) {
				continue
			}
			for _, x := range *cmp.Referrers() {
				if iff, ok := x.(*ssa.If); ok && len(iff.Block().Succs) == 2 {
					out[int(i)] = iff.Block().Succs[0]
				}
			}
		}
	}
	return out
}

// closedSuccs returns the blocks of g entered when a receive from the
// channel reports it closed: its ok is false, a keep-alive response is nil,
// or a watch response carries an error or is Canceled.
func closedSuccs(g *ssa.Function, f *fate) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	for _, b := range g.Blocks {
		iff, ok := dataflow.LastIf(b)
		if !ok {
			continue
		}
		switch cond := iff.Cond.(type) {
		case *ssa.Extract:
			if cond.Index == 1 && isRecvTuple(cond.Tuple, f) {
				out = append(out, b.Succs[1])
			}
		case *ssa.BinOp:
			if cond.Op != token.EQL && cond.Op != token.NEQ {
				continue
			}
			x := nonNil(cond)
			if x == nil || !(isRecvValue(x, f) || isWatchErr(x)) {
				continue
			}
			if cond.Op == token.EQL {
				if isWatchErr(x) {
					out = append(out, b.Succs[1])
				} else {
					out = append(out, b.Succs[0])
				}
			} else {
				if isWatchErr(x) {
					out = append(out, b.Succs[0])
				} else {
					out = append(out, b.Succs[1])
				}
			}
		case *ssa.Field:
			if isCanceled(cond.X.Type(), cond.Field) {
				out = append(out, b.Succs[0])
			}
		case *ssa.UnOp:
			if fa, ok := cond.X.(*ssa.FieldAddr); ok && cond.Op == token.MUL && isCanceled(fa.X.Type(), fa.Field) {
				out = append(out, b.Succs[0])
			}
		}
	}
	return out
}

// isRecvTuple reports whether v is the (value, ok) tuple of a receive from
// the channel, or a select that receives from it.
func isRecvTuple(v ssa.Value, f *fate) bool {
	switch v := v.(type) {
	case *ssa.UnOp:
		return v.Op == token.ARROW && f.vals[v.X]
	case *ssa.Select:
		for _, st := range v.States {
			if st.Dir == types.RecvOnly && f.vals[st.Chan] {
				return true
			}
		}
	}
	return false
}

// isRecvValue reports whether v is a value received from the channel.
func isRecvValue(v ssa.Value, f *fate) bool {
	switch v := v.(type) {
	case *ssa.UnOp:
		return v.Op == token.ARROW && f.vals[v.X]
	case *ssa.Extract:
		return v.Index != 1 && isRecvTuple(v.Tuple, f)
	case *ssa.Phi:
		return false
	}
	return false
}

// isWatchErr reports whether v is a call of WatchResponse.Err.
func isWatchErr(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	fn := dataflow.Callee(&call.Call)
	if fn == nil || fn.Name() != "Err" || fn.Signature().Recv() == nil {
		return false
	}
	_, a, name := etcdapi.NamedType(fn.Signature().Recv().Type())
	return a == etcdapi.AreaClient && name == "WatchResponse"
}

// isCanceled reports whether field i of t (or *t) is WatchResponse.Canceled.
func isCanceled(t types.Type, i int) bool {
	_, a, name := etcdapi.NamedType(t)
	if a != etcdapi.AreaClient || name != "WatchResponse" {
		return false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return ok && i < st.NumFields() && st.Field(i).Name() == "Canceled"
}

// derivedFrom reports whether the context v is derived from the context
// that the call end (a WithCancel, WithTimeout, ...) makes: ending that one
// ends v.
func derivedFrom(v ssa.Value, end *ssa.Call) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if v == nil || seen[v] || len(seen) > 64 {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Extract:
			if x.Tuple == end {
				return true
			}
			return walk(x.Tuple)
		case *ssa.Call:
			if x == end {
				return true
			}
			fn := dataflow.Callee(&x.Call)
			if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "context" && fn.Signature().Recv() == nil {
				return walk(dataflow.Arg(&x.Call, 0))
			}
			if i, ok := etcdapi.DerivedCtx(fn); ok {
				return walk(dataflow.Arg(&x.Call, i))
			}
		case *ssa.Phi:
			for _, e := range x.Edges {
				if !walk(e) {
					return false
				}
			}
			return len(x.Edges) > 0
		case *ssa.MakeInterface:
			return walk(x.X)
		case *ssa.ChangeInterface:
			return walk(x.X)
		case *ssa.FreeVar:
			return walk(dataflow.Binding(x))
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if st := onlyStore(x.X); st != nil {
					return walk(st)
				}
			}
		}
		return false
	}
	return walk(v)
}

// doneOf returns the context whose Done() channel ch is, or nil.
func doneOf(ch ssa.Value) ssa.Value {
	call, ok := ch.(*ssa.Call)
	if !ok {
		return nil
	}
	fn := dataflow.Callee(&call.Call)
	if fn == nil || fn.Name() != "Done" || fn.Signature().Recv() == nil || !isContext(fn.Signature().Recv().Type()) {
		return nil
	}
	return dataflow.Arg(&call.Call, -1)
}

// farFuture is a revision no etcd store reaches: a watch from it delivers
// no event, and a receive from it returns only when the watch ends.
const farFuture = 1 << 62

// waitsForEnd reports whether the watch o opens starts at a revision no
// store reaches (WithRev(math.MaxInt64-2), as etcd's grpcproxy does to learn
// of a lost leader): every receive from it waits for the watch to end.
func waitsForEnd(o opening) bool {
	if o.op == nil || len(o.call.Call.Args) == 0 {
		return false
	}
	sl, ok := o.call.Call.Args[len(o.call.Call.Args)-1].(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return false
	}
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, u := range *ia.Referrers() {
			st, ok := u.(*ssa.Store)
			if !ok || st.Addr != ia {
				continue
			}
			call, ok := st.Val.(*ssa.Call)
			if !ok {
				continue
			}
			fn := dataflow.Callee(&call.Call)
			if fn == nil || fn.Name() != "WithRev" || fn.Pkg() == nil || len(call.Call.Args) != 1 {
				continue
			}
			if _, a := etcdapi.PackageArea(fn.Pkg().Path()); a != etcdapi.AreaClient {
				continue
			}
			if k, ok := call.Call.Args[0].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int {
				if n, exact := constant.Int64Val(k.Value); exact && n >= farFuture {
					return true
				}
			}
		}
	}
	return false
}
