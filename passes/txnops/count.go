package txnops

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// kind is what the pass knows about the length of a slice.
type kind int

const (
	unknown   kind = iota
	exact          // exactly n elements (an upper bound after max)
	chunked        // at most about n: a chunk window or a flush threshold
	unbounded      // grows with a collection whose size nothing bounds
	param          // the function's parameter p, as the caller passed it
)

// count is the length of a slice (an ops or comparison list), or of a
// collection a loop runs over.
type count struct {
	kind kind
	n    int64
	coll string      // unbounded: what it grows with ("keys")
	loop token.Pos   // unbounded: the loop that grows it
	from []int       // unbounded: the parameters the collection comes from
	via  *types.Func // unbounded: the wrapper that built it
	p    int         // param: the parameter index (-1 receiver)
	// fromFn is the function (declared or literal) whose parameters from
	// indexes: the collection is that function's parameter, so the list
	// is judged where that function is called.
	fromFn *ssa.Function
}

var unknownCount = count{}

func exactly(n int64) count { return count{kind: exact, n: n} }

// plus is the length of two slices concatenated (append).
func plus(a, b count) count {
	switch {
	case a.kind == unbounded:
		return a
	case b.kind == unbounded:
		return b
	case a.kind == unknown || b.kind == unknown:
		return unknownCount
	case a.kind == param:
		return a
	case b.kind == param:
		return unknownCount
	case a.kind == chunked || b.kind == chunked:
		// a flush threshold or chunk window bounds the list; the few
		// elements added around it do not change the verdict
		n := a.n
		if b.kind == chunked && b.n > n {
			n = b.n
		}
		return count{kind: chunked, n: n}
	}
	return exactly(a.n + b.n)
}

// either is the length of a slice that is a or b (a phi).
func either(a, b count) count {
	switch {
	case a.kind == unbounded:
		return a
	case b.kind == unbounded:
		return b
	case a.kind == unknown || b.kind == unknown:
		return unknownCount
	case a.kind == param && b.kind == param:
		if a.p == b.p {
			return a
		}
		return unknownCount
	case a.kind == param:
		return a
	case b.kind == param:
		return b
	}
	k := exact
	if a.kind == chunked || b.kind == chunked {
		k = chunked
	}
	return count{kind: k, n: max(a.n, b.n)}
}

// times is the growth of n iterations of a loop that adds g per iteration.
func times(it, g count) count {
	if g.kind == exact && g.n == 0 {
		return exactly(0)
	}
	switch {
	case g.kind == unbounded:
		return g
	case it.kind == unbounded:
		return it
	case it.kind == exact && g.kind == exact:
		return exactly(it.n * g.n)
	case it.kind == chunked && g.kind == exact:
		// a loop over a chunk (a window, a capped batch)
		return count{kind: chunked, n: it.n * g.n}
	}
	return unknownCount
}

// maxVisit bounds the values one count walks through.
const maxVisit = 256

// counter computes lengths within one analysis unit.
type counter struct {
	c       *checker
	top     *ssa.Function // the declared function whose parameters count
	visited map[ssa.Value]bool
	steps   int
}

func (k *counter) enter(v ssa.Value) bool {
	if v == nil || k.visited[v] || k.steps > maxVisit {
		return false
	}
	k.visited[v] = true
	k.steps++
	return true
}

func (k *counter) leave(v ssa.Value) { delete(k.visited, v) }

// length is the number of elements of the slice v.
func (k *counter) length(v ssa.Value) count {
	if !k.enter(v) {
		return unknownCount
	}
	defer k.leave(v)
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return exactly(0)
		}
	case *ssa.ChangeType:
		return k.length(v.X)
	case *ssa.Convert:
		return k.length(v.X)
	case *ssa.Alloc:
		if n, ok := arrayLen(v.Type()); ok {
			return exactly(n)
		}
	case *ssa.Slice:
		return k.slice(v, k.length)
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok {
			if b.Name() == "append" && len(v.Call.Args) == 2 {
				return plus(k.length(v.Call.Args[0]), k.length(v.Call.Args[1]))
			}
			return unknownCount
		}
		return k.grown(&v.Call, 0)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return k.grown(&call.Call, v.Index)
		}
	case *ssa.MakeSlice:
		return k.size(v.Len, true)
	case *ssa.Phi:
		return k.phi(v)
	case *ssa.Parameter:
		if i, ok := dataflow.ParamIndex(v, k.top); ok {
			return count{kind: param, p: i}
		}
	case *ssa.FreeVar:
		if b := dataflow.Binding(v); b != nil {
			return k.length(b)
		}
	case *ssa.UnOp:
		if a := cellOf(v); a != nil {
			return k.cell(a)
		}
	}
	return unknownCount
}

// slice is the length of x[low:high], with length measuring x.
func (k *counter) slice(v *ssa.Slice, length func(ssa.Value) count) count {
	if v.High != nil {
		if w, ok := k.c.window(v.Low, v.High); ok {
			if _, lc := k.c.constInt(v.Low); (v.Low == nil || lc) && isConst(v.High) {
				return exactly(w)
			}
			return count{kind: chunked, n: w}
		}
		return unknownCount // a window the pass cannot measure: assume chunked
	}
	if m, ok := k.c.tail(v); ok {
		return count{kind: chunked, n: m}
	}
	x := length(v.X)
	if x.kind == exact {
		if lo, ok := k.c.constInt(v.Low); ok && lo <= x.n {
			return exactly(x.n - lo)
		}
	}
	return x
}

func isConst(v ssa.Value) bool {
	_, ok := v.(*ssa.Const)
	return ok
}

func arrayLen(t types.Type) (int64, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if a, ok := t.Underlying().(*types.Array); ok {
		return a.Len(), true
	}
	return 0, false
}

// grown is the length of result i of call: unbounded when the callee's
// OpList fact says it grows, with a collection the caller passed that is
// itself unbounded.
func (k *counter) grown(call *ssa.CallCommon, i int) count {
	callee := dataflow.Callee(call)
	f := k.c.factFor(call)
	if f == nil || !contains(f.Grows, i) {
		return unknownCount
	}
	if len(f.From) == 0 {
		return count{kind: unbounded, via: callee}
	}
	out := unknownCount
	for _, p := range f.From {
		s := k.sizeOf(dataflow.Arg(call, p))
		if s.kind == unbounded {
			s.via = callee
			return s
		}
		if s.kind == param {
			out = s
		}
	}
	if out.kind == param {
		// the wrapper's collection is this function's parameter
		return count{kind: unbounded, via: callee, from: []int{out.p}, fromFn: k.top, coll: k.paramName(out.p)}
	}
	return unknownCount
}

func (k *counter) paramName(i int) string {
	if k.top == nil {
		return ""
	}
	if k.top.Signature.Recv() != nil {
		i++
	}
	if i >= 0 && i < len(k.top.Params) {
		return k.top.Params[i].Name()
	}
	return ""
}

// size is the number of elements of a collection x that a loop runs over
// (or a length: when isLen, x is an int such as make's length).
func (k *counter) size(x ssa.Value, isLen bool) count {
	if isLen {
		if n, ok := k.c.constInt(x); ok {
			return exactly(n)
		}
		if call, ok := x.(*ssa.Call); ok {
			if b, ok := call.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(call.Call.Args) == 1 {
				s := k.size(call.Call.Args[0], false)
				if s.kind == param {
					return count{kind: unbounded, coll: k.paramName(s.p), from: []int{s.p}, fromFn: k.top}
				}
				return s
			}
		}
		return unknownCount
	}
	if x != nil && etcdapi.IsOpCollection(x.Type()) {
		if _, ok := x.(*ssa.Parameter); !ok {
			// a list of etcd operations is as long as the list analysis
			// says: one converted from a request (a proxied TxnRequest's
			// Compare, a Txn's own Then list) is held to the limit where
			// that request is built
			return k.sizeOf(x)
		}
	}
	if !k.enter(x) {
		return unknownCount
	}
	defer k.leave(x)
	switch x := x.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return exactly(0)
		}
		if x.Value != nil && x.Value.Kind() == constant.String {
			return exactly(int64(len(constant.StringVal(x.Value))))
		}
	case *ssa.ChangeType:
		return k.size(x.X, false)
	case *ssa.Convert:
		return k.size(x.X, false)
	case *ssa.Alloc:
		if n, ok := arrayLen(x.Type()); ok {
			return exactly(n)
		}
	case *ssa.Slice:
		return k.slice(x, func(v ssa.Value) count { return k.size(v, false) })
	case *ssa.Parameter:
		if i, ok := dataflow.ParamIndex(x, x.Parent()); ok {
			return count{kind: unbounded, coll: x.Name(), from: []int{i}, fromFn: x.Parent()}
		}
		return count{kind: unbounded, coll: x.Name()}
	case *ssa.FreeVar:
		if b := dataflow.Binding(x); b != nil {
			return k.size(b, false)
		}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return unknownCount
		}
		switch a := x.X.(type) {
		case *ssa.FieldAddr:
			return count{kind: unbounded, coll: fieldName(a.X.Type(), a.Field)}
		case *ssa.Global:
			return count{kind: unbounded, coll: a.Name()}
		case *ssa.IndexAddr:
			return count{kind: unbounded, coll: "an element of " + k.describe(a.X)}
		}
	case *ssa.Field:
		return count{kind: unbounded, coll: fieldName(x.X.Type(), x.Field)}
	case *ssa.Lookup:
		if !x.CommaOk {
			return count{kind: unbounded, coll: "a value of " + k.describe(x.X)}
		}
	case *ssa.Index:
		return count{kind: unbounded, coll: "an element of " + k.describe(x.X)}
	case *ssa.Call:
		if b, ok := x.Call.Value.(*ssa.Builtin); ok {
			if b.Name() == "append" && len(x.Call.Args) == 2 {
				return plus(k.sizeOf(x.Call.Args[0]), k.sizeOf(x.Call.Args[1]))
			}
			return unknownCount
		}
		if fn := dataflow.Callee(&x.Call); fn != nil {
			if n, ok := k.c.cappedResult(x.Call.StaticCallee(), 0); ok {
				return count{kind: chunked, n: n}
			}
			if n, ok := k.c.resultCount(x.Call.StaticCallee(), 0); ok {
				return n
			}
			return count{kind: unbounded, coll: "the result of " + fn.Name() + "()"}
		}
	case *ssa.Extract:
		if call, ok := x.Tuple.(*ssa.Call); ok {
			if fn := dataflow.Callee(&call.Call); fn != nil {
				if n, ok := k.c.cappedResult(call.Call.StaticCallee(), x.Index); ok {
					return count{kind: chunked, n: n}
				}
				if n, ok := k.c.resultCount(call.Call.StaticCallee(), x.Index); ok {
					return n
				}
				return count{kind: unbounded, coll: "the result of " + fn.Name() + "()"}
			}
		}
	case *ssa.Phi:
		if l := k.c.loopWithHeader(x.Block()); l != nil {
			if thr, reset := k.c.mapFlush(x, l); reset {
				if thr > 0 {
					return count{kind: chunked, n: thr}
				}
				return unknownCount // flushed on a condition the pass cannot measure
			}
			if k.c.accumulates(x, l) {
				return k.accumulator(x, l, k.sizeOf)
			}
		}
		out := count{kind: exact}
		for _, e := range x.Edges {
			out = either(out, k.size(e, false))
		}
		return out
	case *ssa.MakeMap:
		return k.filled(x)
	}
	return unknownCount
}

// sizeOf is the number of elements of the slice or map x, as a collection:
// an accumulator or a helper's result measured as length does, and a
// parameter as a collection the caller passes.
func (k *counter) sizeOf(x ssa.Value) count {
	if x == nil {
		return unknownCount
	}
	if _, param := x.(*ssa.Parameter); !param && etcdapi.IsOpCollection(x.Type()) {
		return k.asCollection(k.length(x))
	}
	return k.size(x, false)
}

func (k *counter) asCollection(n count) count {
	if n.kind == param {
		return count{kind: unbounded, coll: k.paramName(n.p), from: []int{n.p}, fromFn: k.top}
	}
	return n
}

// filled is the size of a map the function makes itself: it grows with
// every iteration of a loop that stores into it or hands it to a call
// (a patch applied to a changed set), when that loop runs over a
// collection nothing bounds.
func (k *counter) filled(m *ssa.MakeMap) count {
	refs := m.Referrers()
	if refs == nil {
		return unknownCount
	}
	for _, r := range *refs {
		var b *ssa.BasicBlock
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map == m {
				b = r.Block()
			}
		case *ssa.Call:
			if _, builtin := r.Call.Value.(*ssa.Builtin); !builtin {
				b = r.Block()
			}
		}
		if b == nil || b.Parent() != m.Parent() {
			continue
		}
		for _, l := range k.c.loopsOf(b.Parent()) {
			if !l.Contains(b) || l.Contains(m.Block()) {
				continue
			}
			if it := k.c.iterations(k, l); it.kind == unbounded {
				it.coll += " (through a map filled from it)"
				return it
			}
		}
	}
	return unknownCount
}

// describe names a collection for a message.
func (k *counter) describe(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.Global:
		return v.Name()
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			return fieldName(fa.X.Type(), fa.Field)
		}
		if g, ok := v.X.(*ssa.Global); ok {
			return g.Name()
		}
	case *ssa.Field:
		return fieldName(v.X.Type(), v.Field)
	}
	return "a collection"
}

func fieldName(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if st, ok := t.Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return "a field"
}

// phi is the length of a phi: an accumulator when it is the header phi of a
// loop that appends to it, otherwise the longest of its edges.
func (k *counter) phi(p *ssa.Phi) count {
	if l := k.c.loopWithHeader(p.Block()); l != nil && k.c.accumulates(p, l) {
		return k.accumulator(p, l, k.length)
	}
	out := count{kind: exact}
	for _, e := range p.Edges {
		out = either(out, k.length(e))
	}
	return out
}

// accumulates reports whether p, a header phi of l, is a slice that l
// builds on: a back edge carries a value derived from p.
func (c *checker) accumulates(p *ssa.Phi, l *dataflow.Loop) bool {
	for i, e := range p.Edges {
		if i < len(p.Block().Preds) && l.Contains(p.Block().Preds[i]) && c.derived(e, p, l) {
			return true
		}
	}
	return false
}

// growth is what one iteration of a loop adds to an accumulator.
type growth struct {
	c     count
	reset bool // some path replaces the accumulator with a fresh slice
}

func (g growth) or(h growth) growth {
	return growth{c: either(g.c, h.c), reset: g.reset || h.reset}
}

// accumulator is the length of p, the header phi of l through which a
// slice is appended to on every iteration; measure is how what is
// appended is counted (length for op lists, sizeOf for collections).
func (k *counter) accumulator(p *ssa.Phi, l *dataflow.Loop, measure func(ssa.Value) count) count {
	base := count{kind: exact}
	g := growth{c: exactly(0)}
	seen := map[*ssa.Phi]bool{p: true}
	for i, e := range p.Edges {
		if i >= len(p.Block().Preds) {
			break
		}
		if l.Contains(p.Block().Preds[i]) {
			g = g.or(k.grow(e, p, l, seen, measure))
		} else {
			base = either(base, measure(e))
		}
	}
	if g.reset && g.c.kind == unbounded {
		// one iteration adds a whole collection: flushing between
		// iterations does not bound it
		return g.c
	}
	if g.reset {
		if thr := k.c.threshold(l, p); thr > 0 {
			return count{kind: chunked, n: thr}
		}
		return unknownCount
	}
	it := k.c.iterations(k, l)
	if it.kind == exact && it.n > 0 && dataflow.LoopTrips(l, k.c.constInt).Rotated {
		// The header's φ of a loop tested at the end of each run holds
		// the value before the last run; the value after it leaves by the
		// latch.
		it.n--
	}
	total := plus(base, times(it, g.c))
	if total.kind == unbounded && total.loop == token.NoPos && it.kind == unbounded {
		total.loop = k.c.posOf(l)
	}
	return total
}

// grow is what v, a value on a back edge of anchor's loop l, adds to anchor.
func (k *counter) grow(v ssa.Value, anchor *ssa.Phi, l *dataflow.Loop, seen map[*ssa.Phi]bool, measure func(ssa.Value) count) growth {
	if v == anchor {
		return growth{c: exactly(0)}
	}
	if k.steps > maxVisit {
		return growth{c: unknownCount}
	}
	k.steps++
	switch v := v.(type) {
	case *ssa.Phi:
		if seen[v] {
			return growth{c: exactly(0)}
		}
		seen[v] = true
		if l2 := k.c.loopWithHeader(v.Block()); l2 != nil && l2 != l && l.Contains(v.Block()) {
			// a nested loop that appends to the same accumulator
			entry := growth{c: count{kind: exact}}
			inner := growth{c: exactly(0)}
			grows := false
			for i, e := range v.Edges {
				if i >= len(v.Block().Preds) {
					break
				}
				if l2.Contains(v.Block().Preds[i]) {
					inner = inner.or(k.grow(e, v, l2, seen, measure))
					grows = true
				} else {
					entry = entry.or(k.grow(e, anchor, l, seen, measure))
				}
			}
			if grows {
				if inner.reset {
					return growth{c: entry.c, reset: true}
				}
				return growth{c: plus(entry.c, times(k.c.iterations(k, l2), inner.c)), reset: entry.reset}
			}
			return entry
		}
		out := growth{c: count{kind: exact}}
		for _, e := range v.Edges {
			out = out.or(k.grow(e, anchor, l, seen, measure))
		}
		return out
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(v.Call.Args) == 2 {
			g := k.grow(v.Call.Args[0], anchor, l, seen, measure)
			add := measure(v.Call.Args[1])
			return growth{c: plus(g.c, add), reset: g.reset}
		}
	case *ssa.Slice:
		if _, ok := v.X.(*ssa.Alloc); ok && !k.c.derived(v, anchor, l) {
			return growth{c: exactly(0), reset: true} // a fresh literal, []Op{}
		}
		if v.High != nil {
			if n, ok := k.c.constInt(v.High); ok && n == 0 {
				return growth{c: exactly(0), reset: true} // ops = ops[:0]
			}
			break
		}
		if lo, ok := k.c.constInt(v.Low); v.Low == nil || (ok && lo == 0) {
			return k.grow(v.X, anchor, l, seen, measure)
		}
	case *ssa.ChangeType:
		return k.grow(v.X, anchor, l, seen, measure)
	}
	if !k.c.derived(v, anchor, l) {
		switch v := v.(type) {
		case *ssa.Const, *ssa.MakeSlice:
			return growth{c: exactly(0), reset: true}
		case *ssa.Slice:
			if _, ok := v.X.(*ssa.Alloc); ok {
				return growth{c: exactly(0), reset: true} // a fresh literal
			}
		}
	}
	return growth{c: unknownCount}
}

// iterations is how many times l runs, from its header's exit condition.
func (c *checker) iterations(k *counter, l *dataflow.Loop) count {
	out := func(s count) count {
		if s.kind == unbounded {
			s.loop = c.posOf(l)
		}
		return s
	}
	t := dataflow.LoopTrips(l, c.constInt)
	switch {
	case t.Counter != nil:
		switch t.Op {
		case token.LSS, token.LEQ, token.NEQ:
			if t.Step < 0 {
				return unknownCount
			}
			if n, ok := t.Runs(); ok {
				return exactly(n)
			}
			return out(k.size(t.Limit, true))
		case token.GTR, token.GEQ:
			if t.Step >= 0 || t.Init == nil {
				return unknownCount
			}
			if n, ok := t.Runs(); ok {
				return exactly(n)
			}
			init := t.Init
			if b, ok := init.(*ssa.BinOp); ok && b.Op == token.SUB {
				init = b.X // len(x) - 1
			}
			return out(k.size(init, true))
		}
	case t.Next != nil:
		if r, ok := t.Next.Iter.(*ssa.Range); ok {
			return out(k.size(r.X, false))
		}
	case t.Recv != nil:
		return out(count{kind: unbounded, coll: "the values received from " + k.describe(t.Recv.X)})
	}
	return unknownCount
}

// derived reports whether v is anchor, or is built from it by appends,
// reslices and phis inside l.
func (c *checker) derived(v ssa.Value, anchor *ssa.Phi, l *dataflow.Loop) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if v == anchor {
			return true
		}
		if v == nil || seen[v] || len(seen) > maxVisit {
			return false
		}
		seen[v] = true
		switch v := v.(type) {
		case *ssa.Phi:
			if !l.Contains(v.Block()) {
				return false
			}
			for _, e := range v.Edges {
				if walk(e) {
					return true
				}
			}
		case *ssa.Call:
			if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(v.Call.Args) > 0 {
				return walk(v.Call.Args[0])
			}
		case *ssa.Slice:
			if v.High == nil {
				return walk(v.X)
			}
		case *ssa.ChangeType:
			return walk(v.X)
		}
		return false
	}
	return walk(v)
}

// threshold finds, in l, a comparison of the accumulator's length with a
// constant (if len(ops) >= 100 { flush }) and returns the largest such
// constant, or 0.
func (c *checker) threshold(l *dataflow.Loop, anchor *ssa.Phi) int64 {
	var best int64
	for _, b := range l.Header.Parent().Blocks {
		if !l.Contains(b) || len(b.Instrs) == 0 {
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
		try := func(lenSide, constSide ssa.Value, strictAbove bool) {
			call, ok := lenSide.(*ssa.Call)
			if !ok || len(call.Call.Args) != 1 {
				return
			}
			if bi, ok := call.Call.Value.(*ssa.Builtin); !ok || (bi.Name() != "len" && bi.Name() != "cap") {
				return
			}
			if !c.derived(call.Call.Args[0], anchor, l) {
				return
			}
			n, ok := c.constInt(constSide)
			if !ok {
				return
			}
			if strictAbove {
				n++
			}
			best = max(best, n)
		}
		try(cond.X, cond.Y, cond.Op == token.GTR)
		try(cond.Y, cond.X, cond.Op == token.LSS)
		// every n-th element: i%n == 0, (i+1)%n == 0, i%n == n-1
		if cond.Op == token.EQL || cond.Op == token.NEQ {
			for _, side := range []ssa.Value{cond.X, cond.Y} {
				if rem, ok := unwrap(side).(*ssa.BinOp); ok && rem.Op == token.REM && dataflow.Induction(l, rem.X, c.constInt) != nil {
					if n, ok := c.constInt(rem.Y); ok {
						best = max(best, n)
					}
				}
			}
		}
	}
	return best
}

// window is the length of x[low:high] when the bounds show it: a constant
// high with a constant or absent low, high = low + C, high = (i+k)*M with
// low = i*M, high = min(..., one of those) or a phi of them.
func (c *checker) window(low, high ssa.Value) (int64, bool) {
	return c.windowDepth(low, high, 0)
}

func (c *checker) windowDepth(low, high ssa.Value, depth int) (int64, bool) {
	if depth > 6 || high == nil {
		return 0, false
	}
	if h, ok := c.constInt(high); ok {
		lo, lok := c.constInt(low)
		if low == nil {
			lo, lok = 0, true
		}
		if lok && h >= lo {
			return h - lo, true
		}
	}
	switch h := high.(type) {
	case *ssa.Convert:
		return c.windowDepth(low, h.X, depth+1)
	case *ssa.ChangeType:
		return c.windowDepth(low, h.X, depth+1)
	case *ssa.BinOp:
		switch h.Op {
		case token.ADD:
			if sameValue(h.X, low) {
				if n, ok := c.constInt(h.Y); ok {
					return n, true
				}
			}
			if sameValue(h.Y, low) {
				if n, ok := c.constInt(h.X); ok {
					return n, true
				}
			}
		case token.MUL:
			// high = (i+k)*M, low = i*M
			if l, ok := unwrap(low).(*ssa.BinOp); ok && l.Op == token.MUL {
				for _, hp := range [][2]ssa.Value{{h.X, h.Y}, {h.Y, h.X}} {
					for _, lp := range [][2]ssa.Value{{l.X, l.Y}, {l.Y, l.X}} {
						m, ok1 := c.constInt(hp[1])
						m2, ok2 := c.constInt(lp[1])
						if !ok1 || !ok2 || m != m2 {
							continue
						}
						if add, ok := hp[0].(*ssa.BinOp); ok && add.Op == token.ADD && sameValue(add.X, lp[0]) {
							if k, ok := c.constInt(add.Y); ok {
								return k * m, true
							}
						}
					}
				}
			}
		}
	case *ssa.Call:
		var args []ssa.Value
		if b, ok := h.Call.Value.(*ssa.Builtin); ok && b.Name() == "min" {
			args = h.Call.Args
		} else if fn := dataflow.Callee(&h.Call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "math" && fn.Name() == "Min" {
			args = h.Call.Args
		}
		best, found := int64(0), false
		for _, a := range args {
			if n, ok := c.windowDepth(low, a, depth+1); ok && (!found || n < best) {
				best, found = n, true
			}
		}
		return best, found
	case *ssa.Phi:
		best, found := int64(0), false
		for _, e := range h.Edges {
			if n, ok := c.windowDepth(low, e, depth+1); ok && n > best {
				best, found = n, true
			} else if ok {
				found = true
			}
		}
		return best, found
	}
	return 0, false
}

func unwrap(v ssa.Value) ssa.Value {
	for range 4 {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

func sameValue(a, b ssa.Value) bool {
	a, b = unwrap(a), unwrap(b)
	if a == b {
		return true
	}
	ca, ok1 := a.(*ssa.Const)
	cb, ok2 := b.(*ssa.Const)
	return ok1 && ok2 && ca.Value != nil && cb.Value != nil && constant.Compare(ca.Value, token.EQL, cb.Value)
}

// constInt returns the value of an integer constant, or of a package
// variable that is only ever assigned one constant (var maxTxnOps = 128).
func (c *checker) constInt(v ssa.Value) (int64, bool) {
	switch v := unwrap(v).(type) {
	case *ssa.Const:
		if v.Value != nil && v.Value.Kind() == constant.Int {
			return constant.Int64Val(v.Value)
		}
		if v.Value != nil && v.Value.Kind() == constant.Float {
			if f, ok := constant.Float64Val(v.Value); ok && f == float64(int64(f)) {
				return int64(f), true
			}
		}
	case *ssa.UnOp:
		if g, ok := v.X.(*ssa.Global); ok && v.Op == token.MUL {
			return c.constGlobal(g)
		}
		if v.Op == token.MUL {
			return c.constCell(v.X, 0)
		}
	}
	return 0, false
}

// constCell returns the value of a local variable kept in memory (one a
// function literal captures) that is stored once, a constant, and only
// read otherwise, here and in the function literals it is bound to.
func (c *checker) constCell(addr ssa.Value, depth int) (int64, bool) {
	if depth > 3 {
		return 0, false
	}
	switch a := addr.(type) {
	case *ssa.FreeVar:
		if b := dataflow.Binding(a); b != nil && onlyRead(a) {
			return c.constCell(b, depth+1)
		}
		return 0, false
	case *ssa.Alloc:
		refs := a.Referrers()
		if refs == nil {
			return 0, false
		}
		var val ssa.Value
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Addr != a || val != nil {
					return 0, false
				}
				val = r.Val
			case *ssa.UnOp:
				if r.Op != token.MUL {
					return 0, false
				}
			case *ssa.MakeClosure:
				for i, b := range r.Bindings {
					if b == a {
						fn := r.Fn.(*ssa.Function)
						if i >= len(fn.FreeVars) || !onlyRead(fn.FreeVars[i]) {
							return 0, false
						}
					}
				}
			case *ssa.DebugRef:
			default:
				return 0, false
			}
		}
		if k, ok := val.(*ssa.Const); ok {
			return c.constInt(k)
		}
	}
	return 0, false
}

// onlyRead reports whether a closure's free variable (an address) is only
// loaded from.
func onlyRead(fv *ssa.FreeVar) bool {
	refs := fv.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

type globalConst struct {
	n  int64
	ok bool
}

// constGlobal reports the value of g when its package assigns it exactly
// once, a constant, and otherwise only reads it. It reads the package's
// syntax, not its SSA: functions that do not touch etcd have no SSA bodies.
func (c *checker) constGlobal(g *ssa.Global) (int64, bool) {
	if r, ok := c.globals[g]; ok {
		return r.n, r.ok
	}
	var res globalConst
	if v, ok := g.Object().(*types.Var); ok && g.Pkg == c.pkg && c.info != nil {
		val, ok := assignedOnce(c.files, c.info, v)
		if !ok {
			val, ok = flagDefault(c.files, c.info, v)
		}
		if ok {
			if tv := c.info.Types[val]; tv.Value != nil && tv.Value.Kind() == constant.Int {
				res.n, res.ok = constant.Int64Val(tv.Value)
			}
		}
	}
	c.globals[g] = res
	return res.n, res.ok
}

// assignedOnce returns the one value the package-level variable v is
// assigned in files, by its declaration or by one assignment, when nothing
// else writes it or takes its address.
func assignedOnce(files []*ast.File, info *types.Info, v *types.Var) (ast.Expr, bool) {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == v || info.Defs[id] == v)
	}
	var val ast.Expr
	writes, other := 0, false
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if info.Defs[name] == v && len(n.Values) > 0 {
						writes++
						if len(n.Values) == len(n.Names) {
							val = n.Values[i]
						} else {
							other = true
						}
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					if !is(lhs) {
						continue
					}
					writes++
					if (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) && len(n.Lhs) == len(n.Rhs) {
						val = n.Rhs[i]
					} else {
						other = true
					}
				}
			case *ast.IncDecStmt:
				other = other || is(n.X)
			case *ast.RangeStmt:
				other = other || n.Tok == token.ASSIGN && (n.Key != nil && is(n.Key) || n.Value != nil && is(n.Value))
			case *ast.UnaryExpr:
				other = other || n.Op == token.AND && is(n.X)
			case *ast.SelectorExpr:
				// A method with a pointer receiver takes the address.
				if sel := info.Selections[n]; sel != nil && is(n.X) {
					if sig, ok := sel.Obj().Type().(*types.Signature); ok && sig.Recv() != nil {
						_, ptr := sig.Recv().Type().(*types.Pointer)
						other = other || ptr
					}
				}
			}
			return true
		})
	}
	return val, writes == 1 && !other && val != nil
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// tail reports the size of x[n*M:] when it is the tail after the whole
// chunks of M: n is len(x)/M, or the slice runs only where n == len(x)/M.
func (c *checker) tail(v *ssa.Slice) (int64, bool) {
	low, ok := unwrap(v.Low).(*ssa.BinOp)
	if !ok || low.Op != token.MUL {
		return 0, false
	}
	for _, side := range [][2]ssa.Value{{low.X, low.Y}, {low.Y, low.X}} {
		m, ok := c.constInt(side[1])
		if !ok || m <= 0 {
			continue
		}
		n := unwrap(side[0])
		if c.wholeChunks(n, v.X, m) {
			return m, true
		}
		// the slice runs under n == q, q the number of whole chunks
		for b := v.Block().Idom(); b != nil; b = b.Idom() {
			if q, ok := equalOn(b, v.Block(), n); ok && c.wholeChunks(q, v.X, m) {
				return m, true
			}
		}
	}
	return 0, false
}

// wholeChunks reports whether q is len(x)/m.
func (c *checker) wholeChunks(q, x ssa.Value, m int64) bool {
	d, ok := unwrap(q).(*ssa.BinOp)
	if !ok || d.Op != token.QUO {
		return false
	}
	if n, ok := c.constInt(d.Y); !ok || n != m {
		return false
	}
	call, ok := unwrap(d.X).(*ssa.Call)
	if !ok || len(call.Call.Args) != 1 {
		return false
	}
	if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "len" {
		return false
	}
	return sameValue(call.Call.Args[0], x)
}

// equalOn returns q when b ends in a branch on n == q (or (n == q) ==
// true) whose true edge dominates target.
func equalOn(b, target *ssa.BasicBlock, n ssa.Value) (ssa.Value, bool) {
	if len(b.Instrs) == 0 || len(b.Succs) != 2 {
		return nil, false
	}
	ifi, ok := dataflow.LastIf(b)
	if !ok || !b.Succs[0].Dominates(target) || b.Succs[1].Dominates(target) {
		return nil, false
	}
	cond, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cond.Op != token.EQL {
		return nil, false
	}
	if c, ok := cond.Y.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool && constant.BoolVal(c.Value) {
		if inner, ok := cond.X.(*ssa.BinOp); ok && inner.Op == token.EQL {
			cond = inner
		}
	}
	switch {
	case sameValue(cond.X, n):
		return cond.Y, true
	case sameValue(cond.Y, n):
		return cond.X, true
	}
	return nil, false
}

// mapFlush reports whether p is a map that l fills and replaces with a
// fresh one (if len(page) == 100 { flush; page = make(map...) }), and the
// constant its length is compared with, or 0.
func (c *checker) mapFlush(p *ssa.Phi, l *dataflow.Loop) (int64, bool) {
	if _, ok := p.Type().Underlying().(*types.Map); !ok {
		return 0, false
	}
	for i, e := range p.Edges {
		if i < len(p.Block().Preds) && l.Contains(p.Block().Preds[i]) {
			if _, fresh := e.(*ssa.MakeMap); fresh {
				return c.threshold(l, p), true
			}
		}
	}
	return 0, false
}

type resultKey struct {
	fn  *ssa.Function
	idx int
}

// resultCount measures result idx of fn, a function of this package whose
// body the pass sees: its length when every return gives a slice or map of
// a known, bounded length (a list filled in a loop with a constant trip
// count, a literal), as the returns' largest. A result that comes from a
// parameter or anything unbounded is left to the caller's rule (false).
func (c *checker) resultCount(fn *ssa.Function, idx int) (count, bool) {
	if fn == nil || len(fn.Blocks) == 0 || fn.Pkg != c.pkg || fn.Signature.Results().Len() <= idx {
		return count{}, false
	}
	key := resultKey{fn, idx}
	if n, ok := c.results[key]; ok {
		return n, n.kind == exact || n.kind == chunked
	}
	c.results[key] = count{kind: unbounded} // recursion: not bounded
	k := c.counter(fn)
	out := count{kind: exact}
	returns := 0
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || idx >= len(ret.Results) {
			continue
		}
		returns++
		n := k.length(ret.Results[idx])
		if n.kind != exact && n.kind != chunked {
			return count{}, false
		}
		if n.n > out.n || n.kind == chunked {
			out = n
		}
	}
	if returns == 0 {
		return count{}, false
	}
	c.results[key] = out
	return out, true
}
