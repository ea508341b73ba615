package clientpercall

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/analyzerdoc"
	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/report"
)

//go:embed doc.go
var doc string

// Analyzer computes the pass's facts and its findings together, as a
// stage of facts.Analyzer (so on every package a fact may come from),
// and reports its findings on the packages analysed.
var Analyzer = facts.NewPass(facts.Spec{
	Name:      "clientpercall",
	Doc:       analyzerdoc.MustExtract(doc, "clientpercall"),
	URL:       "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#clientpercall",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	FactTypes: []analysis.Fact{new(Dials)},
	Run:       run,
})

var includeTests = false

func init() {
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", includeTests,
		"also report clients dialled per iteration or per request in _test.go files")
}

// Dials is the fact clientpercall exports on a function or method that
// dials a new etcd client (clientv3.New, NewFromURL, NewFromURLs) on every
// call, directly or through a function that does:
//   - Result: the result that holds the client, alone or inside a struct
//     (a constructor), or -1 when the client does not leave the function;
//   - Leaks: the client is neither closed, returned nor handed off;
//   - Params: the parameters (-1 is the receiver) the client's
//     configuration is built from;
//   - Sometimes: see the field.
type Dials struct {
	Result int
	Leaks  bool
	Params []int
	// Sometimes: the function dials only on some calls (a branch of
	// it) and leaks the client there; without it, every call dials.
	Sometimes bool
}

func (*Dials) AFact() {}

func (d *Dials) String() string {
	var parts []string
	switch {
	case d.Result >= 0:
		parts = append(parts, "result="+strconv.Itoa(d.Result))
	case d.Leaks:
		parts = append(parts, "leaks")
	default:
		parts = append(parts, "releases")
	}
	if len(d.Params) > 0 {
		var ps []string
		for _, p := range d.Params {
			ps = append(ps, strconv.Itoa(p))
		}
		parts = append(parts, "params="+strings.Join(ps, ","))
	}
	if d.Sometimes {
		parts = append(parts, "sometimes")
	}
	return "dials(" + strings.Join(parts, " ") + ")"
}

func (d *Dials) equal(o *Dials) bool {
	return o != nil && d.Result == o.Result && d.Leaks == o.Leaks && d.Sometimes == o.Sometimes && slices.Equal(d.Params, o.Params)
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	r := report.New(pass)
	c := newChecker(sum, pass, pass.Files)
	c.rep = r
	c.skip = func(pos token.Pos) bool {
		return !includeTests && report.InTestCode(pass.Fset, pos, pass.Pkg.Path())
	}
	local := c.computeFacts(sum.SSA.Funcs)
	for fn, f := range c.interfaceFacts() {
		local[fn] = f
	}
	facts.Export(pass, local, nil)
	c.periodic = dataflow.PeriodicFuncs(sum.SSA.Funcs)
	for _, d := range c.check(sum.SSA.Funcs) {
		r.Report(d)
	}
	r.Finish()
	return nil, nil
}

// checker is the pass's core: a resolver for interface calls and releases,
// the facts of other packages' functions, and the syntax for positions.
type checker struct {
	res   summary.Resolver
	facts *facts.Table[Dials, *Dials]
	files []*ast.File
	rep   *report.Reporter // contains a function's panic as a diagnostic
	skip  func(token.Pos) bool

	loops map[*ssa.Function][]*dataflow.Loop
	once  *dataflow.Once // the functions that run once per process

	// periodic are the package's functions that run once per period
	// (dataflow.PeriodicFuncs), with the call that schedules each.
	periodic map[*ssa.Function]dataflow.Repeated
}

func newChecker(res summary.Resolver, pass *analysis.Pass, files []*ast.File) *checker {
	return &checker{res: res, facts: facts.NewTable(pass, map[*types.Func]*Dials{}), files: files,
		loops: map[*ssa.Function][]*dataflow.Loop{}, once: dataflow.NewOnce(files, pass.TypesInfo)}
}

func (c *checker) loopsOf(fn *ssa.Function) []*dataflow.Loop {
	ls, ok := c.loops[fn]
	if !ok {
		ls = dataflow.NaturalLoops(fn)
		c.loops[fn] = ls
	}
	return ls
}

// factFor returns the Dials fact of what call reaches: its static callee,
// or for an interface method its own fact (the one its implementations
// agree on where it is declared), or else the one every implementation the
// call may reach agrees on (facts.Table.Reachable). One that dials but writes
// nothing to etcd is as much a callee as one that writes.
//
// Policy: all agree (facts.AllAgree over every implementation the call may
// reach, and for the method's own fact: interfaceFacts). "Dials on every call"
// holds for the interface only when every implementation dials on every
// call; one that dials nothing (an in-memory store beside the etcd one, a
// SHOW executor among dozens of executors) breaks it. Those that dial must
// also agree on whether the result is the client, since that decides what
// the caller must close.
func (c *checker) factFor(call *ssa.CallCommon) *Dials {
	return c.facts.CallFact(call, facts.AllAgree(func(fs []*Dials) (*Dials, bool) {
		f := agree(fs)
		return f, f != nil
	}))
}

// agree merges the facts of the implementations of one method, or nil
// when they differ in what the caller must do with the client.
func agree(fs []*Dials) *Dials {
	if len(fs) == 0 {
		return nil
	}
	out := &Dials{Result: fs[0].Result, Leaks: fs[0].Leaks}
	for _, f := range fs {
		if f.Result != out.Result {
			return nil
		}
		out.Leaks = out.Leaks && f.Leaks
		out.Sometimes = out.Sometimes || f.Sometimes
		for _, p := range f.Params {
			if !slices.Contains(out.Params, p) {
				out.Params = append(out.Params, p)
			}
		}
	}
	sort.Ints(out.Params)
	return out
}

// site is one place a client is dialled: a clientv3.New call, or a call of
// a function that dials on every call.
type site struct {
	call   ssa.CallInstruction
	via    *types.Func // the dialling function called, nil for clientv3.New
	fact   *Dials      // via's fact
	config []ssa.Value // the values the configuration is built from
	client ssa.Value   // the value holding the new client, nil when it stays in via
}

func (c *checker) sites(fn *ssa.Function) []site {
	var out []site
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := call.Common()
			callee := dataflow.Callee(common)
			if callee == nil {
				continue
			}
			if etcdapi.IsDial(callee) {
				s := site{call: call}
				if a := dataflow.Arg(common, etcdapi.DialConfigArg); a != nil {
					s.config = []ssa.Value{a}
				}
				if v, ok := call.(*ssa.Call); ok {
					s.client = extract(v, 0)
				}
				out = append(out, s)
				continue
			}
			f := c.factFor(common)
			if f == nil {
				continue
			}
			s := site{call: call, via: callee, fact: f}
			for _, p := range f.Params {
				if a := dataflow.Arg(common, p); a != nil {
					s.config = append(s.config, a)
				}
			}
			if v, ok := call.(*ssa.Call); ok && f.Result >= 0 {
				s.client = extract(v, f.Result)
			}
			out = append(out, s)
		}
	}
	return out
}

// extract returns result i of call: the call itself for a single result,
// or its Extract, or nil when the result is never used.
func extract(call *ssa.Call, i int) ssa.Value {
	if call.Call.Signature().Results().Len() == 1 {
		if i == 0 {
			return call
		}
		return nil
	}
	refs := call.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == i {
			return e
		}
	}
	return nil
}

// errorOf returns the error result of a dial call, or nil.
func errorOf(call ssa.CallInstruction) ssa.Value {
	v, ok := call.(*ssa.Call)
	if !ok {
		return nil
	}
	res := v.Call.Signature().Results()
	n := res.Len()
	if n == 0 || !isError(res.At(n-1).Type()) {
		return nil
	}
	if n == 1 {
		return v
	}
	return extract(v, n-1)
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// disposal is what a function does with a client it dialled.
type disposal int

const (
	leaked   disposal = iota
	closed            // closed (Close, defer Close, a helper that closes it)
	returned          // returned to the caller, alone or in a struct
	handed            // stored in a field, map, global or channel, or passed on
)

// dispose follows the client value v forward through fn and its closures.
func (c *checker) dispose(v ssa.Value) (disposal, int) {
	if v == nil {
		return leaked, -1
	}
	work := []ssa.Value{v}
	seen := map[ssa.Value]bool{}
	result, escaped, isClosed := -1, false, false
	for len(work) > 0 && len(seen) < 256 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		refs := x.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Phi, *ssa.ChangeType, *ssa.ChangeInterface, *ssa.MakeInterface, *ssa.Convert, *ssa.TypeAssert, *ssa.Slice:
				work = append(work, r.(ssa.Value))
			case *ssa.UnOp:
				if r.Op == token.MUL {
					work = append(work, r)
				}
			case *ssa.Store:
				if r.Val != x {
					continue
				}
				switch a := r.Addr.(type) {
				case *ssa.Alloc:
					work = append(work, a)
				case *ssa.FieldAddr:
					if base, ok := a.X.(*ssa.Alloc); ok {
						work = append(work, base)
					} else {
						escaped = true
					}
				case *ssa.IndexAddr:
					if base, ok := a.X.(*ssa.Alloc); ok {
						work = append(work, base)
					} else {
						escaped = true
					}
				default:
					escaped = true
				}
			case *ssa.MapUpdate:
				if r.Value == x || r.Key == x {
					escaped = true
				}
			case *ssa.Send:
				if r.X == x {
					escaped = true
				}
			case *ssa.Return:
				for i, res := range r.Results {
					if res == x {
						result = i
					}
				}
			case *ssa.MakeClosure:
				fn, ok := r.Fn.(*ssa.Function)
				if !ok {
					continue
				}
				for i, b := range r.Bindings {
					if b == x && i < len(fn.FreeVars) {
						work = append(work, fn.FreeVars[i])
					}
				}
			case ssa.CallInstruction:
				switch c.useInCall(r.Common(), x) {
				case closed:
					isClosed = true
				case handed:
					escaped = true
				}
			}
		}
	}
	switch {
	case isClosed:
		return closed, -1
	case result >= 0:
		return returned, result
	case escaped:
		return handed, -1
	}
	return leaked, -1
}

// useInCall classifies x's use in call: a Close of it, an etcd API use, a
// helper that releases it, or a hand-off to code that may keep it.
func (c *checker) useInCall(call *ssa.CallCommon, x ssa.Value) disposal {
	if call.Value == x && !call.IsInvoke() {
		return leaked // calling a function value: not a use of the client
	}
	callee := dataflow.Callee(call)
	if op, ok := etcdapi.Lookup(callee); ok {
		if op.Kind == etcdapi.Close && dataflow.Arg(call, -1) == x {
			return closed
		}
		return leaked // used through etcd's own API
	}
	if b, ok := call.Value.(*ssa.Builtin); ok && b.Name() != "append" {
		return leaked
	}
	idx := -2
	if call.IsInvoke() && call.Value == x {
		idx = -1
	}
	for i := -1; i < len(call.Args); i++ {
		if idx == -2 && dataflow.Arg(call, i) == x {
			idx = i
		}
	}
	if idx == -2 {
		return leaked
	}
	for _, callee := range c.res.Callees(call) {
		if callee.Sum != nil && summary.Has(callee.Sum.Releases, idx) {
			return closed
		}
	}
	if idx == -1 {
		return leaked // a method of the value (s.Get): a use, not a hand-off
	}
	return handed
}

// unit is what a dial site runs once per: an iteration of a loop or a
// request of a handler.
type unit struct {
	kind  string // "loop", "handler", "timer"
	what  string // "on every iteration of this loop", ...
	loop  *dataflow.Loop
	fn    *ssa.Function // the function the loop belongs to
	req   []ssa.Value   // handler: the request parameters
	where token.Pos     // the loop, for related information
}

// unitOf finds what s runs once per in fn, or nil.
func (c *checker) unitOf(fn *ssa.Function, s site) *unit {
	if u := c.loopUnit(fn, s.call, errorOf(s.call)); u != nil {
		return u
	}
	if u := handlerUnit(fn); u != nil {
		return u
	}
	if u := c.periodicUnit(fn); u != nil {
		return u
	}
	// a function literal called, deferred or started as a goroutine once
	// per iteration or per request of its parent
	for depth, lit := 0, fn; depth < 3 && lit.Parent() != nil; depth++ {
		parent := lit.Parent()
		call := directCall(lit)
		if call == nil {
			return nil
		}
		if u := c.loopUnit(parent, call, nil); u != nil {
			return u
		}
		if u := handlerUnit(parent); u != nil {
			return u
		}
		if u := c.periodicUnit(parent); u != nil {
			return u
		}
		lit = parent
	}
	return nil
}

// periodicUnit reports fn as a function run once per period: by a
// scheduler (wait.Until and the like) or by a time.AfterFunc it re-arms.
// The program dials again on every run, for as long as it runs.
func (c *checker) periodicUnit(fn *ssa.Function) *unit {
	r, ok := c.periodic[fn]
	if !ok {
		return nil
	}
	what := "every time " + r.Name + " runs this function"
	if r.Name == "time.AfterFunc" {
		what = "every time time.AfterFunc runs this function (it re-arms its own timer)"
	}
	return &unit{kind: "timer", what: what, fn: fn, where: r.Call.Pos()}
}

// directCall returns the instruction in lit's parent that calls, defers or
// starts lit, or nil when lit is passed elsewhere (sync.Once.Do, a
// callback registry).
func directCall(lit *ssa.Function) ssa.CallInstruction {
	parent := lit.Parent()
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.MakeClosure:
				if instr.Fn != lit {
					continue
				}
				refs := instr.Referrers()
				if refs == nil {
					return nil
				}
				for _, r := range *refs {
					if call, ok := r.(ssa.CallInstruction); ok && call.Common().Value == instr {
						return call
					}
				}
				return nil
			case ssa.CallInstruction:
				if instr.Common().Value == lit {
					return instr
				}
			}
		}
	}
	return nil
}

// loopUnit returns the innermost loop of fn around instr that repeats it:
// not a loop with a constant trip count, and not a retry loop that leaves
// once the dial succeeds (errv is its error result).
func (c *checker) loopUnit(fn *ssa.Function, instr ssa.Instruction, errv ssa.Value) *unit {
	for _, l := range c.loopsOf(fn) {
		if !l.Contains(instr.Block()) {
			continue
		}
		if constantTrips(l) || (errv != nil && dataflow.LeavesOnSuccess(l, dataflow.ErrTest(errv))) {
			continue
		}
		return &unit{kind: "loop", what: "on every iteration of this loop", loop: l, fn: fn, where: dataflow.LoopStmt(c.files, l)}
	}
	return nil
}

// constantTrips reports whether l's exit test compares its counter with a
// constant, or ranges over a slice literal. The counter is a value that
// steps from one iteration to the next (a φ of the header, or computed from
// one): a select's case index compared with a constant is not a counter.
func constantTrips(l *dataflow.Loop) bool {
	t := dataflow.LoopTrips(l, nil)
	if t.Counter == nil {
		return false
	}
	_, isConst := t.Limit.(*ssa.Const)
	return isConst || t.Literal
}

// handlerUnit reports fn as a per-request function: an HTTP handler
// (func(http.ResponseWriter, *http.Request), a ServeHTTP method or a method
// value registered with HandleFunc) or a unary gRPC service method (a
// method taking (context.Context, *Req) and returning (*Resp, error), Req
// and Resp being protobuf messages).
func handlerUnit(fn *ssa.Function) *unit {
	sig := fn.Signature
	params, results := sig.Params(), sig.Results()
	n := len(fn.Params)
	if params.Len() == 2 && results.Len() == 0 &&
		isNamed(params.At(0).Type(), "net/http", "ResponseWriter") && isNamed(params.At(1).Type(), "net/http", "Request") && n >= 2 {
		return &unit{kind: "handler", what: "on every request of this HTTP handler", fn: fn, req: []ssa.Value{fn.Params[n-1]}}
	}
	if sig.Recv() != nil && params.Len() == 2 && results.Len() == 2 &&
		isNamed(params.At(0).Type(), "context", "Context") && isProto(params.At(1).Type()) &&
		isProto(results.At(0).Type()) && isError(results.At(1).Type()) && n >= 2 {
		return &unit{kind: "handler", what: "on every call of this gRPC method", fn: fn, req: []ssa.Value{fn.Params[n-1]}}
	}
	return nil
}

func isNamed(t types.Type, path, name string) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path && n.Obj().Name() == name
}

// isProto reports whether t is a pointer to a generated protobuf message.
func isProto(t types.Type) bool {
	if _, ok := types.Unalias(t).(*types.Pointer); !ok {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ProtoMessage")
	_, ok := obj.(*types.Func)
	return ok
}

// varies reports whether the configuration values of s depend on the unit:
// on a value that changes from one iteration of the loop to the next, or
// on the request.
func (c *checker) varies(s site, u *unit) bool {
	w := &depWalk{u: u, seen: map[ssa.Value]bool{}}
	for _, v := range s.config {
		if w.dep(v, 0) {
			return true
		}
	}
	return false
}

// depWalk follows a value back to what it is built from, through
// operands, values stored into local composite literals, closures' free
// variables, and (for a handler) calls' arguments.
type depWalk struct {
	u    *unit
	seen map[ssa.Value]bool
}

func (w *depWalk) dep(v ssa.Value, depth int) bool {
	if v == nil || w.seen[v] || depth > 24 || len(w.seen) > 512 {
		return false
	}
	w.seen[v] = true
	u := w.u
	if u.kind == "handler" && slices.Contains(u.req, v) {
		return true
	}
	if _, ok := v.(*ssa.Alloc); !ok && isPointer(v.Type()) && w.fieldStores(v, depth+1) {
		return true // cfg.Endpoints = []string{ep} on a config made before the loop
	}
	switch v := v.(type) {
	case *ssa.FreeVar:
		return w.dep(dataflow.Binding(v), depth+1)
	case *ssa.Parameter:
		// a parameter of a function literal its parent calls or starts
		// (go func(cfg Config) { ... }(cfg)): the argument it is given
		return w.dep(literalArg(v), depth+1)
	case *ssa.Alloc:
		refs := v.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.Store:
				if r.Addr == v && w.dep(r.Val, depth+1) {
					return true
				}
			case *ssa.FieldAddr, *ssa.IndexAddr:
				if w.storedInto(r.(ssa.Value), depth+1) {
					return true
				}
			}
		}
		return false
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false // parameters, constants, globals, functions
	}
	// In a function literal run per iteration, what a value is built from
	// is followed to the literal's free variables and parameters.
	if u.kind == "loop" && instr.Parent() == u.fn {
		if !u.loop.Contains(instr.Block()) {
			return false // computed before the loop: the same every iteration
		}
		switch v := v.(type) {
		case *ssa.Phi, *ssa.Call, *ssa.Next:
			return true // the loop's counter or element, or a call's result per iteration
		case *ssa.UnOp:
			if v.Op == token.ARROW {
				return true
			}
		}
	}
	var ops []*ssa.Value
	for _, op := range instr.Operands(ops) {
		if op != nil && *op != nil && w.dep(*op, depth+1) {
			return true
		}
	}
	return false
}

// literalArg returns the argument a function literal's parameter p is
// given where the literal's parent calls, defers or starts it, or nil.
func literalArg(p *ssa.Parameter) ssa.Value {
	fn := p.Parent()
	if fn == nil || fn.Parent() == nil {
		return nil
	}
	call := directCall(fn)
	if call == nil {
		return nil
	}
	for i, q := range fn.Params {
		if q == p && i < len(call.Common().Args) {
			return call.Common().Args[i]
		}
	}
	return nil
}

// fieldStores reports whether a field or element of what the pointer v
// points to is assigned a value that depends on the unit: a configuration
// made once and given each iteration's endpoint before each dial.
func (w *depWalk) fieldStores(v ssa.Value, depth int) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.FieldAddr, *ssa.IndexAddr:
			if w.storedInto(r.(ssa.Value), depth) {
				return true
			}
		}
	}
	return false
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

func (w *depWalk) storedInto(addr ssa.Value, depth int) bool {
	refs := addr.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == addr && w.dep(st.Val, depth) {
			return true
		}
	}
	return false
}

// cached reports whether instr runs only when a dominating condition on
// the receiver's fields, a package variable or a map lookup says so: a
// client created lazily once and kept.
func cached(fn *ssa.Function, instr ssa.Instruction) bool {
	var recv ssa.Value
	if fn.Signature.Recv() != nil && len(fn.Params) > 0 {
		recv = fn.Params[0]
	}
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || b == instr.Block() || !b.Dominates(instr.Block()) {
			continue
		}
		ifi, ok := dataflow.LastIf(b)
		if !ok {
			continue
		}
		if readsState(ifi.Cond, recv, 0) {
			return true
		}
	}
	return false
}

func readsState(v ssa.Value, recv ssa.Value, depth int) bool {
	if depth > 6 {
		return false
	}
	switch v := v.(type) {
	case *ssa.BinOp:
		return readsState(v.X, recv, depth+1) || readsState(v.Y, recv, depth+1)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			switch a := v.X.(type) {
			case *ssa.Global:
				return true
			case *ssa.FieldAddr:
				return recv != nil && a.X == recv
			}
			return false
		}
		return readsState(v.X, recv, depth+1)
	case *ssa.Extract:
		_, ok := v.Tuple.(*ssa.Lookup)
		return ok
	case *ssa.Lookup:
		return true
	case *ssa.Phi:
		for _, e := range v.Edges {
			if readsState(e, recv, depth+1) {
				return true
			}
		}
	}
	return false
}

// maxRounds bounds the fixed point over mutually recursive functions.
const maxRounds = 8

// computeFacts finds, bottom-up, the functions of funcs that dial a new
// client on every call.
func (c *checker) computeFacts(funcs []*ssa.Function) map[*types.Func]*Dials {
	facts.FixedPoint(funcs, c.facts.Local, maxRounds, func(fn *ssa.Function) (*Dials, bool) {
		f := c.summarise(fn)
		return f, f != nil
	}, (*Dials).equal)
	out := map[*types.Func]*Dials{}
	for fn, f := range c.facts.Local {
		out[fn] = f
	}
	return out
}

// summarise computes fn's Dials fact from the sites that run once per call.
func (c *checker) summarise(fn *ssa.Function) *Dials {
	var f *Dials
	var sites []site
	for _, s := range c.sites(fn) {
		if c.loopUnit(fn, s.call, errorOf(s.call)) != nil || cached(fn, s.call) {
			continue
		}
		sites = append(sites, s)
	}
	sometimes := !everyCall(fn, sites)
	if sometimes {
		// A client dialled and leaked on some calls still leaks one per
		// such call: the fact says leaks on some calls, with the sites
		// that leak.
		var leaking []site
		for _, s := range sites {
			if d, _ := c.disposeSite(s); d == leaked {
				leaking = append(leaking, s)
			}
		}
		if len(leaking) == 0 {
			return nil
		}
		sites = leaking
	}
	for _, s := range sites {
		d, res := c.disposeSite(s)
		if f == nil {
			f = &Dials{Result: -1, Leaks: true}
		}
		switch d {
		case returned:
			f.Result = res
			f.Leaks = false
		case leaked:
		default:
			f.Leaks = false
		}
		for _, v := range s.config {
			configRoots(v, 0, func(r ssa.Value) {
				if p, ok := r.(*ssa.Parameter); ok {
					if i, ok := dataflow.ParamIndex(p, fn); ok && !slices.Contains(f.Params, i) {
						f.Params = append(f.Params, i)
					}
				}
			})
		}
	}
	if f != nil {
		if f.Result >= 0 {
			f.Leaks = false
		}
		f.Sometimes = sometimes || slices.ContainsFunc(sites, func(s site) bool { return s.fact != nil && s.fact.Sometimes })
		sort.Ints(f.Params)
	}
	return f
}

// everyCall reports whether every call of fn that returns normally runs
// one of sites: no path from fn's entry reaches a return without passing
// a dial. A path that leaves on an error (the side of an err != nil test,
// a return of an error built there) or panics is not a call that
// returns normally. A dial on one case of a switch or one side of an if on
// fn's input is a dial on some calls only.
func everyCall(fn *ssa.Function, sites []site) bool {
	if len(sites) == 0 || len(fn.Blocks) == 0 {
		return false
	}
	// A dial in a loop that runs it once (a failover loop that leaves on
	// the first success) or a constant number of times is a dial of every
	// call that enters the loop.
	dials := map[*ssa.BasicBlock]bool{}
	for _, s := range sites {
		dials[s.call.Block()] = true
		for _, l := range dataflow.NaturalLoops(fn) {
			if l.Contains(s.call.Block()) {
				dials[l.Header] = true
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || dials[b] {
			continue
		}
		seen[b] = true
		if len(b.Instrs) == 0 {
			continue
		}
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			if !errorReturn(last) {
				return false
			}
			continue
		case *ssa.If:
			if s := errSide(last.Cond); s >= 0 {
				work = append(work, b.Succs[1-s])
				continue
			}
			if _, ok := last.Cond.(*ssa.Const); ok {
				// a branch on a constant (a build's mode) is taken the same
				// way on every call: the build with the dial dials on each
				if s := slices.IndexFunc(b.Succs, func(s *ssa.BasicBlock) bool { return reaches(s, dials) }); s >= 0 {
					work = append(work, b.Succs[s])
					continue
				}
			}
		}
		work = append(work, b.Succs...)
	}
	return true
}

// reaches reports whether a block of targets is reachable from b.
func reaches(b *ssa.BasicBlock, targets map[*ssa.BasicBlock]bool) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		if targets[x] {
			return true
		}
		seen[x] = true
		work = append(work, x.Succs...)
	}
	return false
}

// errSide returns the successor (0 then, 1 else) an err != nil or err ==
// nil test takes when the error is not nil, or -1.
func errSide(cond ssa.Value) int {
	cmp, ok := cond.(*ssa.BinOp)
	if !ok {
		return -1
	}
	x := cmp.X
	if dataflow.IsNil(x) {
		x = cmp.Y
	} else if !dataflow.IsNil(cmp.Y) {
		return -1
	}
	if !isError(x.Type()) {
		return -1
	}
	switch cmp.Op {
	case token.NEQ:
		return 0
	case token.EQL:
		return 1
	}
	return -1
}

// errorReturn reports whether ret returns an error it makes there: a
// value of a concrete error type, or one built by the errors or fmt
// packages (errors.New, fmt.Errorf, pkg/errors' Wrap and Trace).
func errorReturn(ret *ssa.Return) bool {
	sig := ret.Parent().Signature.Results()
	n := sig.Len()
	if n == 0 || len(ret.Results) != n || !isError(sig.At(n-1).Type()) {
		return false
	}
	switch v := ret.Results[n-1].(type) {
	case *ssa.MakeInterface:
		return true
	case *ssa.Call:
		callee := dataflow.Callee(&v.Call)
		if callee == nil || callee.Pkg() == nil {
			return false
		}
		path := callee.Pkg().Path()
		return path == "fmt" || path == "errors" || strings.HasSuffix(path, "/errors")
	}
	return false
}

// configRoots calls root for what the configuration value v is built
// from (dataflow.Roots), seeing through calls that return a client
// configuration: those build it from their arguments (a ConfigSpec, the
// application's own settings).
func configRoots(v ssa.Value, depth int, root func(ssa.Value)) {
	dataflow.Roots(v, func(r ssa.Value) {
		call, ok := r.(*ssa.Call)
		if !ok || depth > 2 || !returnsConfig(call.Call.Signature()) {
			root(r)
			return
		}
		for _, a := range call.Call.Args {
			configRoots(a, depth+1, root)
		}
		if call.Call.IsInvoke() {
			configRoots(call.Call.Value, depth+1, root)
		}
	})
}

func returnsConfig(sig *types.Signature) bool {
	for v := range sig.Results().Variables() {
		if etcdapi.IsClientConfig(v.Type()) {
			return true
		}
	}
	return false
}

// disposeSite is what the caller does with the client s dials.
func (c *checker) disposeSite(s site) (disposal, int) {
	if s.via != nil && s.fact.Result < 0 {
		if s.fact.Leaks {
			return leaked, -1
		}
		return closed, -1
	}
	return c.dispose(s.client)
}

// interfaceFacts gives an interface method declared in the package the
// fact its implementations the package sees agree on.
//
// Policy: all agree, as at calls (factFor): every one of them must dial.
func (c *checker) interfaceFacts() map[*types.Func]*Dials {
	return c.facts.InterfaceFacts(facts.AllAgree(func(fs []*Dials) (*Dials, bool) {
		f := agree(fs)
		return f, f != nil
	}))
}

// check reports the dial sites of funcs that run per iteration or request.
func (c *checker) check(funcs []*ssa.Function) []report.Diagnostic {
	var out []report.Diagnostic
	for _, fn := range funcs {
		if !fn.Pos().IsValid() && fn.Parent() == nil {
			continue
		}
		if c.skip != nil && c.skip(fn.Pos()) {
			continue
		}
		c.rep.Guard(fn.Pos(), "function "+fn.Name(), func() {
			sites := c.sites(fn)
			for _, s := range sites {
				if d, ok := c.diagnose(fn, s); ok {
					out = append(out, d)
				}
			}
			out = append(out, c.components(fn, sites)...)
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func (c *checker) diagnose(fn *ssa.Function, s site) (report.Diagnostic, bool) {
	u := c.unitOf(fn, s)
	if u == nil || cached(fn, s.call) {
		return report.Diagnostic{}, false
	}
	d, _ := c.disposeSite(s)
	varies := c.varies(s, u)
	if d != leaked && varies {
		return report.Diagnostic{}, false // a client per endpoint or per request target, released or kept
	}
	if varies && u.kind == "loop" && c.once.Runs(u.fn) {
		// a probe per endpoint in a loop that runs once per process (a
		// command's Run): the process ends the clients it leaves open
		return report.Diagnostic{}, false
	}
	subject := "a new etcd client is dialled " + u.what
	leak, same := " and never closed", " with the same configuration"
	if s.via != nil {
		subject = dataflow.FuncName(s.via) + " dials a new etcd client on every call and this call runs " + u.what
		if s.fact.Sometimes {
			subject = dataflow.FuncName(s.via) + " dials a new etcd client on some of its paths and this call runs " + u.what
		}
		leak, same = ", and the client is never closed", ", with the same configuration each time"
	}
	var msg string
	if d == leaked {
		msg = fmt.Sprintf("%s%s: each client keeps its gRPC connection and goroutines until the process exits; "+
			"with auth enabled each dial is also an Authenticate raft entry and a token etcd keeps for %d s; "+
			"dial one client at startup and share it (clients are safe for concurrent use)",
			subject, leak, etcdapi.AuthTokenTTLSeconds)
	} else {
		msg = fmt.Sprintf("%s%s: each dial opens a new gRPC connection with its own watch and lease streams; "+
			"with auth enabled each dial is also an Authenticate raft entry and a token etcd keeps for %d s; "+
			"dial one client at startup and share it (clients are safe for concurrent use)",
			subject, same, etcdapi.AuthTokenTTLSeconds)
	}
	var related []analysis.RelatedInformation
	if u.where.IsValid() {
		if u.kind == "timer" {
			related = append(related, report.Related(u.where, "the function is scheduled here"))
		} else {
			related = append(related, report.Related(u.where, "the loop"))
		}
	}
	return report.Diagnostic{Pos: s.call.Pos(), Message: msg, Category: u.kind, Related: related}, true
}
