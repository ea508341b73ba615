package watchleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// fate is what a function does with a resource it opened.
type fate struct {
	released  bool      // closed, orphaned, or passed to a callee that releases it
	handedOff bool      // returned, stored where others can reach it, passed on
	goroutine bool      // captured by a goroutine, which then owns it
	starts    []*ssa.Go // the go statements of those goroutines
	gaveUp    bool      // the walk was cut short: sites are incomplete
	// drains are the receives that repeat; vals are the values that hold
	// the resource.
	drains  []ssa.Instruction
	vals    map[ssa.Value]bool
	drained bool // received from repeatedly (a loop that does not reopen it)
	// recvs are receives that run at most once per opening.
	recvs []ssa.Instruction
	// sites are the blocks of the opening function where the resource is
	// released, handed off or captured by a goroutine (for a use inside a
	// literal: where the literal is called, deferred or started).
	sites []site
}

// site is a block where the resource stops being the function's to end;
// deferred when that happens in a deferred call, which ends it at every
// later return but not before the next iteration of a loop.
type site struct {
	block    *ssa.BasicBlock
	deferred bool
}

// maxSteps bounds one tracking walk; past it the resource counts as handed
// off (nothing is reported).
const maxSteps = 2000

type tracker struct {
	c      *Checker
	create *ssa.BasicBlock
	seen   map[ssa.Value]bool
	f      *fate
	steps  int
	// anchor is, while following the resource into a literal, the
	// instruction of the opening function that calls, defers or starts it.
	anchor ssa.Instruction
}

// mark records where instr releases or hands off the resource.
func (t *tracker) mark(instr ssa.Instruction) {
	a := instr
	if t.anchor != nil {
		a = t.anchor
	}
	if a == nil || a.Block() == nil || a.Block().Parent() != t.create.Parent() {
		return
	}
	_, deferred := a.(*ssa.Defer)
	t.f.sites = append(t.f.sites, site{a.Block(), deferred})
}

func (t *tracker) handOff(instr ssa.Instruction) {
	t.f.handedOff = true
	t.mark(instr)
}

func (t *tracker) release(instr ssa.Instruction) {
	t.f.released = true
	t.mark(instr)
}

// track follows v, a resource opened in block create, through the function
// that opened it and the literals it calls or starts.
func (c *Checker) track(v ssa.Value, create *ssa.BasicBlock) *fate {
	t := &tracker{c: c, create: create, seen: map[ssa.Value]bool{}, f: &fate{}}
	t.value(v)
	t.f.vals = t.seen
	return t.f
}

func (t *tracker) budget() bool {
	t.steps++
	if t.steps > maxSteps {
		t.f.handedOff = true
		t.f.gaveUp = true
		return false
	}
	return true
}

// value follows the uses of a value holding the resource.
func (t *tracker) value(v ssa.Value) {
	if v == nil || t.seen[v] || !t.budget() {
		return
	}
	t.seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		t.use(v, r)
	}
}

func (t *tracker) use(v ssa.Value, r ssa.Instruction) {
	switch r := r.(type) {
	case *ssa.DebugRef, *ssa.BinOp, *ssa.If, *ssa.Field, *ssa.FieldAddr, *ssa.Index, *ssa.IndexAddr, *ssa.Lookup:
		// comparisons, and reading parts of the resource (cli.KV)
	case *ssa.Phi:
		t.value(r)
	case *ssa.ChangeType:
		t.value(r)
	case *ssa.ChangeInterface:
		t.value(r)
	case *ssa.MakeInterface:
		t.value(r)
	case *ssa.TypeAssert:
		t.value(r)
	case *ssa.Convert:
		t.value(r)
	case *ssa.Extract:
		t.value(r)
	case *ssa.Store:
		if r.Val != v {
			return
		}
		t.store(r)
	case *ssa.UnOp:
		if r.Op == token.ARROW && r.X == v {
			t.receive(r)
		}
	case *ssa.Select:
		for _, st := range r.States {
			if st.Chan == v && st.Dir == types.RecvOnly {
				t.receive(r)
			}
		}
	case *ssa.MakeClosure:
		t.closure(r, v, false)
	case ssa.CallInstruction:
		t.call(v, r)
	default:
		// Return, Send, MapUpdate, Panic, Slice, ...: someone else has it.
		t.handOff(r)
	}
}

// receive records a receive from the channel: a drain when it can repeat
// without the channel being reopened.
func (t *tracker) receive(r ssa.Instruction) {
	b := r.Block()
	if b == nil {
		return
	}
	var repeats bool
	if b.Parent() != t.create.Parent() {
		repeats = t.c.loopsOf(b.Parent()).InLoop(b)
	} else {
		repeats = cycleAvoiding(b, t.create)
	}
	if repeats {
		t.f.drained = true
		t.f.drains = append(t.f.drains, r)
	} else {
		t.f.recvs = append(t.f.recvs, r)
	}
}

// cycleAvoiding reports whether b lies on a cycle of the control-flow graph
// that does not pass through avoid.
func cycleAvoiding(b, avoid *ssa.BasicBlock) bool {
	if b == avoid {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if x == avoid || seen[x] {
			continue
		}
		seen[x] = true
		stack = append(stack, x.Succs...)
	}
	return false
}

// store follows the resource into the memory st writes.
func (t *tracker) store(st *ssa.Store) {
	switch addr := st.Addr.(type) {
	case *ssa.Alloc:
		t.addr(addr)
	case *ssa.FreeVar:
		if b := dataflow.Binding(addr); b != nil {
			// A variable of the enclosing function: the resource leaves
			// the literal's scope here.
			t.mark(st)
			t.addr(b)
		} else {
			t.handOff(st)
		}
	case *ssa.FieldAddr:
		if !t.c.deadField(fieldOf(addr)) || returnedStruct(addr.X) {
			t.handOff(st)
		}
		// else: a field nothing ever reads; the resource is lost there.
	default:
		t.handOff(st)
	}
}

// addr follows the loads of a variable that holds the resource.
func (t *tracker) addr(a ssa.Value) {
	if a == nil || t.seen[a] || !t.budget() {
		return
	}
	t.seen[a] = true
	refs := a.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Val == a {
				t.handOff(r) // the variable's address escapes
			}
		case *ssa.UnOp:
			if r.Op == token.MUL {
				t.value(r)
			} else {
				t.handOff(r)
			}
		case *ssa.MakeClosure:
			t.closure(r, a, true)
		default:
			t.handOff(r) // &v passed on
		}
	}
}

// closure follows v (a value, or a variable when isAddr) into a literal that
// captures it. A literal that is called, deferred or started here is
// followed into; one that is stored or passed on takes the resource with it.
func (t *tracker) closure(mc *ssa.MakeClosure, v ssa.Value, isAddr bool) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || mc.Referrers() == nil {
		t.handOff(mc)
		return
	}
	var anchor ssa.Instruction
	var started *ssa.Go
	for _, r := range *mc.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType, *ssa.MakeInterface:
			// func literal to a named func type (wait.ConditionFunc)
			if passedOnly(r.(ssa.Value), 0) && t.literalOnlyUses(fn, mc, v, isAddr) {
				continue
			}
			t.handOff(r)
			return
		case ssa.CallInstruction:
			common := r.Common()
			if common.Value != mc {
				if t.literalOnlyUses(fn, mc, v, isAddr) {
					continue // whoever calls it, the literal cannot end the resource
				}
				t.handOff(r)
				return
			}
			for _, a := range common.Args {
				if a == mc {
					t.handOff(r)
					return
				}
			}
			if g, ok := r.(*ssa.Go); ok {
				started = g
			}
			if anchor == nil {
				anchor = r
			}
		default:
			t.handOff(r)
			return
		}
	}
	if started != nil {
		t.f.goroutine = true
		t.f.starts = append(t.f.starts, started)
		t.mark(started)
	}
	saved := t.anchor
	if t.anchor == nil {
		t.anchor = anchor
	}
	defer func() { t.anchor = saved }()
	for i, b := range mc.Bindings {
		if b != v || i >= len(fn.FreeVars) {
			continue
		}
		if isAddr {
			t.addr(fn.FreeVars[i])
		} else {
			t.value(fn.FreeVars[i])
		}
	}
}

// literalOnlyUses reports whether the literal fn (made by mc), which
// captures the Client, Watcher or Session v (a variable holding it when
// isAddr), only uses it: it neither releases it nor hands it off nor starts
// a goroutine with it. Passing such a literal to a function (a poll or
// retry helper, a callback) does not hand the resource off: nothing the
// literal does can close it, whoever calls it and whenever.
func (t *tracker) literalOnlyUses(fn *ssa.Function, mc *ssa.MakeClosure, v ssa.Value, isAddr bool) bool {
	typ := v.Type()
	if isAddr {
		p, ok := typ.Underlying().(*types.Pointer)
		if !ok {
			return false
		}
		typ = p.Elem()
	}
	if !closable(typ) || len(fn.Blocks) == 0 {
		return false
	}
	found := false
	for i, b := range mc.Bindings {
		if b != v || i >= len(fn.FreeVars) {
			continue
		}
		found = true
		sub := &tracker{c: t.c, create: fn.Blocks[0], seen: map[ssa.Value]bool{}, f: &fate{}}
		if isAddr {
			sub.addr(fn.FreeVars[i])
		} else {
			sub.value(fn.FreeVars[i])
		}
		if sub.f.released || sub.f.handedOff || sub.f.goroutine {
			return false
		}
	}
	return found
}

// passedOnly reports whether the function value v is only passed to calls
// as an argument, directly or through conversions.
func passedOnly(v ssa.Value, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > 4 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			if !passedOnly(r, depth+1) {
				return false
			}
		case *ssa.MakeInterface:
			if !passedOnly(r, depth+1) {
				return false
			}
		case ssa.CallInstruction:
			if r.Common().Value == v {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// call handles the resource passed to a call as an argument or receiver.
func (t *tracker) call(v ssa.Value, instr ssa.CallInstruction) {
	common := instr.Common()
	if common.Value == v && !common.IsInvoke() {
		return
	}
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append", "copy", "ssa:wrapnilchk":
			t.handOff(instr)
		}
		return
	}
	callee := dataflow.Callee(common)
	if op, ok := etcdapi.Lookup(callee); ok {
		switch op.Kind {
		case etcdapi.Close, etcdapi.Orphan:
			if dataflow.Arg(common, -1) == v {
				t.release(instr)
			}
		case etcdapi.Wrap:
			// namespace.NewWatcher(w, prefix): closing the view closes w.
			if call, ok := instr.(*ssa.Call); ok {
				t.value(call)
			}
		case etcdapi.Open:
			// concurrency.NewSession(cli): whoever gets the session can
			// reach the client (Session.Client).
			call, ok := instr.(*ssa.Call)
			if ok && op.Result == etcdapi.ResSession && dataflow.Arg(common, -1) != v {
				if sv := (opening{call: call, kind: op.Result}).value(); sv != nil {
					sub := t.c.track(sv, call.Block())
					if sub.handedOff || sub.goroutine {
						t.handOff(instr)
					}
				}
			}
		}
		return
	}
	if callee != nil && callee.Pkg() != nil && etcdapi.IsEtcdModule(callee.Pkg().Path()) {
		return // the rest of etcd's API uses the resource but does not own it
	}
	var positions []int
	n := len(common.Args)
	for i := -1; i < n; i++ {
		if a := dataflow.Arg(common, i); a == v {
			positions = append(positions, i)
		}
	}
	for _, ce := range t.c.res.Callees(common) {
		for _, p := range positions {
			for _, rel := range ce.Sum.Releases {
				if rel == p {
					t.release(instr)
					return
				}
			}
		}
	}
	if _, isGo := instr.(*ssa.Go); !isGo && closable(v.Type()) && t.c.onlyUses(common, positions) {
		return // a function of this package that uses it and lets it go
	}
	t.handOff(instr)
}

// closable reports whether t is a Client, Watcher or Session.
func closable(t types.Type) bool {
	switch etcdapi.ResourceOf(t) {
	case etcdapi.ResClient, etcdapi.ResWatcher, etcdapi.ResSession:
		return true
	}
	return false
}

// maxCallDepth bounds how deep onlyUses follows calls into calls.
const maxCallDepth = 3

// onlyUses reports whether the function of this package that call names
// only uses the resource it gets at positions: it neither releases it nor
// hands it off (stores, returns, passes on, starts a goroutine with it).
// Passing a client to such a helper is not handing it off.
func (c *Checker) onlyUses(call *ssa.CallCommon, positions []int) bool {
	fn := call.StaticCallee()
	if fn == nil || call.IsInvoke() || fn.Pkg == nil || fn.Pkg.Pkg != c.Pkg || len(fn.Blocks) == 0 ||
		len(positions) == 0 || c.inCall[fn] || len(c.inCall) >= maxCallDepth {
		return false
	}
	c.inCall[fn] = true
	defer delete(c.inCall, fn)
	off := 0
	if fn.Signature.Recv() != nil {
		off = 1
	}
	for _, p := range positions {
		i := p + off
		if i < 0 || i >= len(fn.Params) {
			return false
		}
		f := c.track(fn.Params[i], fn.Blocks[0])
		if f.released || f.handedOff || f.goroutine {
			return false
		}
	}
	return true
}

// fieldOf returns the struct field a FieldAddr selects.
func fieldOf(fa *ssa.FieldAddr) *types.Var {
	t := fa.X.Type().Underlying()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	st, ok := t.(*types.Struct)
	if !ok || fa.Field < 0 || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}

// deadField reports whether field is one no code can read the resource back
// from: unexported, declared in this package, not embedded, and never read
// by any function of the package (only assigned).
func (c *Checker) deadField(field *types.Var) bool {
	if field == nil || field.Exported() || field.Embedded() || field.Pkg() != c.Pkg {
		return false
	}
	if c.readField == nil {
		c.readField = fieldReads(c.Files, c.Info)
	}
	return !c.readField[field.Origin()]
}

// fieldReads collects the struct fields that some expression of the
// package reads: every selector of a field that is not the direct target of
// a plain assignment.
func fieldReads(files []*ast.File, info *types.Info) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	assigned := map[*ast.SelectorExpr]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
					for _, lhs := range n.Lhs {
						if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
							assigned[sel] = true
						}
					}
				}
			case *ast.SelectorExpr:
				if assigned[n] {
					return true
				}
				if s := info.Selections[n]; s != nil && s.Kind() == types.FieldVal {
					if v, ok := s.Obj().(*types.Var); ok {
						out[v.Origin()] = true
					}
				}
			}
			return true
		})
	}
	return out
}

// returnedStruct reports whether x, a struct made in the function, is
// returned to the caller: directly, through local variables, or appended
// to a slice that is returned. The caller then owns what it holds.
func returnedStruct(x ssa.Value) bool {
	if ia, ok := x.(*ssa.IndexAddr); ok {
		x = ia.X // an element of append's variadic array
	}
	if _, ok := x.(*ssa.Alloc); !ok {
		return false
	}
	work := []ssa.Value{x}
	seen := map[ssa.Value]bool{}
	for len(work) > 0 && len(seen) < 64 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[v] || v.Referrers() == nil {
			continue
		}
		seen[v] = true
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.Return:
				return true
			case *ssa.Phi, *ssa.ChangeType, *ssa.MakeInterface, *ssa.Slice:
				work = append(work, r.(ssa.Value))
			case *ssa.UnOp:
				if r.Op == token.MUL {
					work = append(work, r)
				}
			case *ssa.Store:
				if r.Val == v {
					if a, ok := r.Addr.(*ssa.Alloc); ok {
						work = append(work, a)
					} else if ia, ok := r.Addr.(*ssa.IndexAddr); ok {
						work = append(work, ia.X)
					}
				}
			case *ssa.Call:
				if b, ok := r.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" {
					work = append(work, r)
				}
			}
		}
	}
	return false
}
