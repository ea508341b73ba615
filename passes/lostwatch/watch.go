package lostwatch

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// site is one place a function opens a watch: a Watcher.Watch call, a call
// of a function that returns a watch it opened (ch), or a call of a
// function that follows a watch until it ends (until).
type site struct {
	call  ssa.CallInstruction
	ch    bool
	until bool
	revs  []ssa.Value // the WithRev revisions, constant 0 left out
	ctx   ssa.Value   // the watch's context, for a Watcher.Watch call
}

// value is the call's value (nil for a go or defer statement).
func (s site) value() ssa.Value {
	if v, ok := s.call.(*ssa.Call); ok {
		return v
	}
	return nil
}

func (c *checker) sites(fn *ssa.Function) []site {
	var out []site
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			common := call.Common()
			callee := dataflow.Callee(common)
			if callee == nil {
				continue
			}
			if op, ok := etcdapi.Lookup(callee); ok || etcdapi.IsWatchLike(callee) {
				if op.Kind == etcdapi.Watch || etcdapi.IsWatchLike(callee) {
					s := site{call: call, ch: true, ctx: dataflow.Arg(common, etcdapi.Arg("Watcher.Watch.ctx"))}
					if opts := dataflow.Arg(common, 2); opts != nil {
						s.revs = withRevs(opts)
					}
					out = append(out, s)
				}
				continue
			}
			f := c.factFor(common)
			if f == nil || (!f.Opens && !f.Until) {
				continue
			}
			s := site{call: call, ch: f.Opens, until: f.Until}
			for _, p := range f.Rev {
				if a := dataflow.Arg(common, p); a != nil && !isZero(a) {
					s.revs = append(s.revs, a)
				}
			}
			if len(f.Ctx) == 1 {
				s.ctx = dataflow.Arg(common, f.Ctx[0]) // the context the wrapper watches on
			}
			out = append(out, s)
		}
	}
	return out
}

// maxWalk bounds the backward walks of this file.
const maxWalk = 256

// withRevs returns the arguments of the WithRev options among the values
// the variadic options slice opts is built from (a literal list, appends
// to a local slice), leaving out constant zeros: a watch from revision 0
// starts at the current revision.
func withRevs(opts ssa.Value) []ssa.Value {
	var out []ssa.Value
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if v == nil || seen[v] || len(seen) > maxWalk {
			return
		}
		seen[v] = true
		switch v := v.(type) {
		case *ssa.Slice:
			walk(v.X)
		case *ssa.Phi:
			for _, e := range v.Edges {
				walk(e)
			}
		case *ssa.UnOp:
			if v.Op == token.MUL {
				walk(v.X)
			}
		case *ssa.Alloc, *ssa.IndexAddr:
			refs := v.Referrers()
			if refs == nil {
				return
			}
			for _, r := range *refs {
				switch r := r.(type) {
				case *ssa.Store:
					if r.Addr == v {
						walk(r.Val)
					}
				case *ssa.IndexAddr:
					walk(r)
				}
			}
		case *ssa.Call:
			if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
				for _, a := range v.Call.Args {
					walk(a)
				}
				return
			}
			if etcdapi.IsWithRev(dataflow.Callee(&v.Call)) && len(v.Call.Args) == 1 && !isZero(v.Call.Args[0]) {
				out = append(out, v.Call.Args[0])
			}
		}
	}
	walk(opts)
	return out
}

func isZero(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) == 0
}

// recv is one receive from a watch's channel: a plain or comma-ok receive
// (a range over the channel is one), or a select case.
type recv struct {
	fn    *ssa.Function
	block *ssa.BasicBlock
	instr ssa.Instruction
	// closed are the blocks entered when the receive finds the channel
	// closed (the !ok branch, the end of a range); errs those entered when
	// the response says the watch ended (Canceled, Err(), CompactRevision).
	closed, errs []*ssa.BasicBlock
	ends         []*ssa.BasicBlock // closed and errs
	// compacted are the blocks entered when the response is the one that
	// says the watch's revision was compacted: those of the checks of
	// Err() and CompactRevision when there are any, else errs (Canceled).
	compacted []*ssa.BasicBlock
	// events are the blocks entered when the receive delivers a response.
	events []*ssa.BasicBlock
}

// receives returns the receives, in fn and the function literals it makes,
// from the channel s opens.
func (c *checker) receives(fn *ssa.Function, s site) []recv {
	v := s.value()
	if v == nil {
		return nil
	}
	var out []recv
	var visit func(f *ssa.Function, depth int)
	visit = func(f *ssa.Function, depth int) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW && etcdapi.IsWatchChan(x.X.Type()) && fromCall(x.X, v) {
						out = append(out, recvOf(f, x, x, -1))
					}
				case *ssa.Select:
					for i, st := range x.States {
						if st.Dir == types.RecvOnly && etcdapi.IsWatchChan(st.Chan.Type()) && fromCall(st.Chan, v) {
							out = append(out, recvOf(f, x, x, i))
						}
					}
				}
			}
		}
		if depth < 4 {
			for _, anon := range f.AnonFuncs {
				visit(anon, depth+1)
			}
		}
	}
	visit(fn, 0)
	return out
}

// fromCall reports whether the channel ch comes from the call v.
func fromCall(ch, v ssa.Value) bool {
	found := false
	dataflow.Roots(ch, func(r ssa.Value) {
		if r == v {
			found = true
		}
	})
	return found
}

// recvOf describes the receive instr (tuple is its value); state is the
// select case, -1 for a plain receive.
func recvOf(fn *ssa.Function, instr ssa.Instruction, tuple ssa.Value, state int) recv {
	r := recv{fn: fn, block: instr.Block(), instr: instr}
	var caseBlock *ssa.BasicBlock
	refs := tuple.Referrers()
	if refs == nil {
		return r
	}
	var okv, val ssa.Value
	for _, ref := range *refs {
		e, ok := ref.(*ssa.Extract)
		if !ok {
			continue
		}
		switch {
		case state < 0 && e.Index == 1:
			okv = e
		case state < 0 && e.Index == 0:
			val = e
		case state >= 0 && e.Index == 1:
			okv = e
		case state >= 0 && e.Index == 0:
			caseBlock = selectCase(e, state)
		case state >= 0 && e.Index == 2+recvIndex(instr.(*ssa.Select), state):
			val = e
		}
	}
	if state < 0 {
		if u, ok := instr.(*ssa.UnOp); ok && !u.CommaOk {
			val = u
		}
	}
	if okv != nil {
		for _, b := range condBlocks(okv, false) {
			if caseBlock == nil || caseBlock.Dominates(b) {
				r.closed = append(r.closed, b)
			}
		}
		for _, b := range condBlocks(okv, true) {
			if caseBlock == nil || caseBlock.Dominates(b) {
				r.events = append(r.events, b)
			}
		}
	}
	switch {
	case r.events != nil:
	case caseBlock != nil:
		r.events = []*ssa.BasicBlock{caseBlock}
	case state < 0 && okv == nil:
		r.events = r.block.Succs
	}
	if val != nil {
		r.errs, r.compacted = endChecks(val)
		if r.compacted == nil {
			r.compacted = r.errs
		}
	}
	r.ends = append(append(r.ends, r.closed...), r.errs...)
	return r
}

// recvIndex is the position of state among the receive states of sel (the
// select's tuple holds one value per receive case).
func recvIndex(sel *ssa.Select, state int) int {
	n := 0
	for i := 0; i < state; i++ {
		if sel.States[i].Dir == types.RecvOnly {
			n++
		}
	}
	return n
}

// selectCase returns the block a select's case state runs in: the true
// branch of "index == state".
func selectCase(index ssa.Value, state int) *ssa.BasicBlock {
	refs := index.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		b, ok := r.(*ssa.BinOp)
		if !ok || b.Op != token.EQL {
			continue
		}
		k, ok := b.Y.(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
			continue
		}
		if n, ok := constant.Int64Val(k.Value); !ok || int(n) != state {
			continue
		}
		for _, bs := range condBlocks(b, true) {
			return bs
		}
	}
	return nil
}

// condBlocks returns the blocks entered when the boolean v is want, through
// the Ifs that test it (directly or negated).
func condBlocks(v ssa.Value, want bool) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	refs := v.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.If:
			if want {
				out = append(out, r.Block().Succs[0])
			} else {
				out = append(out, r.Block().Succs[1])
			}
		case *ssa.UnOp:
			if r.Op == token.NOT {
				out = append(out, condBlocks(r, !want)...)
			}
		}
	}
	return out
}

// endChecks returns the blocks entered when the response resp says its
// watch ended: resp.Canceled or resp.CompactRevision != 0 true, resp.Err()
// non-nil.
func endChecks(resp ssa.Value) (out, compacted []*ssa.BasicBlock) {
	seen := map[ssa.Value]bool{}
	var fwd func(v ssa.Value)
	fwd = func(v ssa.Value) {
		if seen[v] || len(seen) > maxWalk {
			return
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			return
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Val == v {
					fwd(r.Addr)
				}
			case *ssa.UnOp:
				if r.Op == token.MUL {
					fwd(r)
				}
			case *ssa.Field:
				if isEndField(r.X.Type(), r.Field) {
					out = append(out, truthy(r)...)
					if compactField(r.X.Type(), r.Field) {
						compacted = append(compacted, truthy(r)...)
					}
				}
			case *ssa.FieldAddr:
				if isEndField(r.X.Type(), r.Field) {
					if refs := r.Referrers(); refs != nil {
						for _, l := range *refs {
							if u, ok := l.(*ssa.UnOp); ok && u.Op == token.MUL {
								out = append(out, truthy(u)...)
								if compactField(r.X.Type(), r.Field) {
									compacted = append(compacted, truthy(u)...)
								}
							}
						}
					}
				}
			case *ssa.Call:
				if fn := dataflow.Callee(&r.Call); fn != nil && etcdapi.WatchEndCheck(fn) && len(r.Call.Args) > 0 && r.Call.Args[0] == v {
					out = append(out, truthy(r)...)
					compacted = append(compacted, truthy(r)...) // Err()
				}
			}
		}
	}
	fwd(resp)
	return out, compacted
}

// compactField reports whether field i of t is WatchResponse.CompactRevision.
func compactField(t types.Type, i int) bool {
	v := fieldOf(t, i)
	return v != nil && etcdapi.WatchEndCheck(v) && v.Name() == etcdapi.WatchRespCompactRevision
}

func fieldOf(t types.Type, i int) *types.Var {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i)
}

func isEndField(t types.Type, i int) bool {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return false
	}
	return etcdapi.WatchEndCheck(st.Field(i))
}

// truthy returns the blocks entered when v is "set": true for a bool,
// non-zero for a number, non-nil for an error.
func truthy(v ssa.Value) []*ssa.BasicBlock {
	if b, ok := types.Unalias(v.Type()).Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
		return condBlocks(v, true)
	}
	var out []*ssa.BasicBlock
	refs := v.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		b, ok := r.(*ssa.BinOp)
		if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
			continue
		}
		out = append(out, condBlocks(b, b.Op == token.NEQ)...)
	}
	return out
}

// returnsOnEvent reports whether fn can return after rcv delivered a
// response, other than through the response's end checks: it waits for
// an event, it does not follow the watch until it ends.
func (c *checker) returnsOnEvent(rcv recv) bool {
	// The closed branch is not excluded: a break out of a range over
	// the channel joins it, and starting from an event reaches it only so.
	ends := map[*ssa.BasicBlock]bool{}
	for _, b := range rcv.errs {
		ends[b] = true
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), rcv.events...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || ends[b] {
			continue
		}
		seen[b] = true
		stop := false
		for _, instr := range b.Instrs {
			if instr == rcv.instr || waitsDone(instr) || ctxChecked(instr) {
				stop = true
				break
			}
			if _, ok := instr.(*ssa.Return); ok {
				return true
			}
		}
		if !stop {
			work = append(work, b.Succs...)
		}
	}
	return false
}

// reachesReturn reports whether a return of the function is reachable
// from one of the blocks.
func reachesReturn(bs []*ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), bs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				return true
			}
		}
		work = append(work, b.Succs...)
	}
	return false
}

// minPauseNanos is the shortest constant sleep that counts as a pause
// between two watches: 1 ms. A watch the server cancels at once (no
// leader, permission denied, compaction) is a round trip on an open
// stream, well under a millisecond on a local network, so a shorter sleep
// leaves the loop bound by the server's answers; at a millisecond the loop
// makes at most a thousand attempts a second per watcher.
const minPauseNanos = 1_000_000

// pauses reports whether instr waits: time.Sleep of a duration that is not
// a constant under minPauseNanos, a receive from a channel that is not a
// watch's, a blocking select none of whose cases receives from a watch, a
// call of a function that always pauses, or a call of a function outside
// etcd's reach named as a wait (Wait, Sleep, Backoff).
func (c *checker) pauses(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.UnOp:
		return x.Op == token.ARROW && !etcdapi.IsWatchChan(x.X.Type())
	case *ssa.Select:
		if !x.Blocking {
			return false
		}
		for _, st := range x.States {
			if st.Dir == types.RecvOnly && etcdapi.IsWatchChan(st.Chan.Type()) {
				return false
			}
		}
		return true
	case *ssa.Call:
		return c.callPauses(&x.Call)
	}
	return false
}

// callPauses reports whether a call waits: time.Sleep of at least
// minPauseNanos, a function whose body always pauses (its fact, or its
// body when the pass has it), or, for a function whose body the pass does
// not see (outside etcd's reach), one named as a wait (Wait*, Sleep*,
// Backoff, Pause) or given a duration of at least minPauseNanos.
func (c *checker) callPauses(call *ssa.CallCommon) bool {
	fn := dataflow.Callee(call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	if fn.Pkg().Path() == "time" {
		return fn.Name() == "Sleep" && len(call.Args) == 1 && longEnough(call.Args[0])
	}
	if f := c.factFor(call); f != nil {
		return f.Pauses
	}
	if sc := call.StaticCallee(); sc != nil && sc.Blocks != nil {
		return c.bodyPauses(sc)
	}
	if etcdapi.IsEtcdModule(fn.Pkg().Path()) || dataflow.IsStd(fn.Pkg().Path()) {
		return false
	}
	if call.IsInvoke() {
		if impls := c.table.Reachable(call); len(impls) > 0 {
			return false // the implementations seen have no pause
		}
	}
	name := fn.Name()
	if strings.HasPrefix(name, "Wait") || strings.HasPrefix(name, "Sleep") || name == "Backoff" || name == "Pause" {
		return true
	}
	for _, a := range call.Args {
		if isDuration(a.Type()) && longEnough(a) {
			return true
		}
	}
	return false
}

// longEnough reports whether the duration d is not a constant below
// minPauseNanos.
func longEnough(d ssa.Value) bool {
	k, ok := d.(*ssa.Const)
	if !ok || k.Value == nil {
		return true
	}
	n, exact := constant.Int64Val(k.Value)
	return !exact || n >= minPauseNanos
}

func isDuration(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Duration"
}

// bodyPauses is alwaysPauses for a function of this package the facts do
// not cover (one that does not touch etcd), computed once.
func (c *checker) bodyPauses(fn *ssa.Function) bool {
	if v, ok := c.pauseMemo[fn]; ok {
		return v
	}
	c.pauseMemo[fn] = false // recursion
	v := c.alwaysPauses(fn)
	c.pauseMemo[fn] = v
	return v
}

func (c *checker) pausing(b *ssa.BasicBlock) bool {
	for _, instr := range b.Instrs {
		if c.pauses(instr) {
			return true
		}
	}
	return false
}

// alwaysPauses reports whether every path from fn's entry to a return
// passes a pause.
func (c *checker) alwaysPauses(fn *ssa.Function) bool {
	if len(fn.Blocks) == 0 {
		return false
	}
	if !reachesReturn(fn.Blocks[:1]) {
		return false // never returns: no caller's loop goes round
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if c.pausing(b) {
			continue
		}
		if len(b.Instrs) > 0 {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				return false
			}
		}
		work = append(work, b.Succs...)
	}
	return true
}
