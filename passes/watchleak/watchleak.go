package watchleak

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
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

// Analyzer reads summary's result, computed by facts.Analyzer, and reports
// on the packages analysed.
var Analyzer = facts.NewPass(facts.Spec{
	Name:     "watchleak",
	Doc:      analyzerdoc.MustExtract(doc, "watchleak"),
	URL:      "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#watchleak",
	Requires: []*analysis.Analyzer{summary.Analyzer},
	Run:      run,
})

// includeMain makes the pass check the functions that run once per process
// (main.main, a command's Run), whose resources live as long as the
// process; includeTests makes it check _test.go files.
var includeMain, includeTests bool

func init() {
	Analyzer.Flags.BoolVar(&includeMain, "include-main", false,
		"also report Clients, Watchers, one-off watches and sessions with nothing held under their lease created in functions that run once per process, such as main.main or a cobra command's Run (they live as long as the process)")
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", false,
		"also report resources created in _test.go files (they live as long as the test binary)")
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	r := report.New(pass)
	c := &Checker{
		Fset:         pass.Fset,
		Files:        pass.Files,
		Info:         pass.TypesInfo,
		Pkg:          pass.Pkg,
		IncludeMain:  includeMain,
		IncludeTests: includeTests,
		Reporter:     r,
	}
	c.Check(sum.SSA.Funcs, sum)
	r.Finish()
	return nil, nil
}

// Checker finds leaked etcd watches, watchers, keep-alives, sessions and
// clients in a package's functions. It needs only a summary.Resolver, so
// that a whole-program driver can run it with a call-graph-backed one.
type Checker struct {
	Fset         *token.FileSet
	Files        []*ast.File
	Info         *types.Info
	Pkg          *types.Package
	IncludeMain  bool
	IncludeTests bool
	Reporter     *report.Reporter

	res       summary.Resolver
	readField map[*types.Var]bool
	loops     map[*ssa.Function]*dataflow.Loops
	nat       map[*ssa.Function][]*dataflow.Loop
	inCall    map[*ssa.Function]bool // onlyUses's functions being followed
	once      *dataflow.Once
}

// Check reports the leaks created in funcs (the package's functions that
// touch etcd, with their function literals).
func (c *Checker) Check(funcs []*ssa.Function, res summary.Resolver) {
	c.res = res
	c.loops = map[*ssa.Function]*dataflow.Loops{}
	c.nat = map[*ssa.Function][]*dataflow.Loop{}
	c.inCall = map[*ssa.Function]bool{}
	c.once = dataflow.NewOnce(c.Files, c.Info)
	for _, fn := range funcs {
		if !c.IncludeTests && c.inTestFile(fn) {
			continue
		}
		inMain := !c.IncludeMain && c.inOnce(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				for _, o := range c.opened(call) {
					o.main = inMain
					c.Reporter.Guard(call.Pos(), fn.String(), func() { c.check(o) })
				}
			}
		}
	}
}

// inOnce reports whether fn, or a function its literal is nested in, runs
// once per process (dataflow.Once): the process ends what it leaves open.
func (c *Checker) inOnce(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if c.once.Runs(f) {
			return true
		}
	}
	return false
}

// inTestFile reports whether fn is declared in test code: a _test.go file
// or a test-support package (report.InTestCode).
func (c *Checker) inTestFile(fn *ssa.Function) bool {
	pkgPath := ""
	if fn.Pkg != nil && fn.Pkg.Pkg != nil {
		pkgPath = fn.Pkg.Pkg.Path()
	}
	return report.InTestCode(c.Fset, outermost(fn).Pos(), pkgPath)
}

// opening is one resource a call opens.
type opening struct {
	call  *ssa.Call
	index int // result index
	kind  etcdapi.Resource
	name  string // "clientv3.New", "wrap.Dial"
	op    *etcdapi.Op
	ctx   ssa.Value // the context scoping a watch or keep-alive
	// ctxFact is, for a watch or keep-alive a helper opens on a context
	// of its own choosing, what its fact says of it: "field" or "forever".
	ctxFact string
	era     etcdapi.Era
	main    bool // opened in a function that runs once per process (dataflow.Once, main.main), whose resources the process ends
	// on is, for a watch a helper returns with the Watcher or Client it
	// is made on, 1 + that result's index (summary.Returned.On).
	on int
}

func tracked(r etcdapi.Resource) bool {
	switch r {
	case etcdapi.ResWatchChan, etcdapi.ResWatcher, etcdapi.ResKeepAlive, etcdapi.ResSession, etcdapi.ResClient:
		return true
	}
	return false
}

// opened returns the tracked resources call opens: directly through etcd's
// API, or through a wrapper whose summary returns one.
func (c *Checker) opened(call *ssa.Call) []opening {
	callee := dataflow.Callee(&call.Call)
	if callee == nil {
		if !call.Call.IsInvoke() {
			return nil
		}
	}
	if op, ok := etcdapi.Lookup(callee); ok {
		if !tracked(op.Result) || (op.Kind != etcdapi.Open && op.Kind != etcdapi.Watch && op.Kind != etcdapi.KeepAlive) {
			return nil
		}
		o := opening{call: call, kind: op.Result, name: opName(callee, op), op: &op, era: etcdapi.EraOf(callee)}
		if op.Ctx >= 0 {
			o.ctx = dataflow.Arg(&call.Call, op.Ctx)
		}
		return []opening{o}
	}
	if callee != nil && callee.Pkg() != nil && etcdapi.IsEtcdModule(callee.Pkg().Path()) {
		return nil
	}
	var out []opening
	seen := map[summary.Returned]bool{}
	for _, ce := range c.res.Callees(&call.Call) {
		for _, r := range ce.Sum.Returns {
			kind := etcdapi.ParseResource(r.Resource)
			if !tracked(kind) || seen[r] {
				continue
			}
			seen[r] = true
			o := opening{call: call, index: r.Index, kind: kind, name: dataflow.FuncName(callee), era: resultEra(call, r.Index), on: r.On}
			if kind == etcdapi.ResWatchChan || kind == etcdapi.ResKeepAlive {
				switch n, isParam := strings.CutPrefix(r.Ctx, "param:"); {
				case isParam:
					i, err := strconv.Atoi(n)
					if err != nil {
						continue
					}
					o.ctx = dataflow.Arg(&call.Call, i)
				case r.Ctx == "field" || r.Ctx == "forever":
					o.ctxFact = r.Ctx
				}
				if o.ctx == nil && o.ctxFact == "" {
					continue // a context the helper ends, or one not known
				}
			}
			out = append(out, o)
		}
	}
	return out
}

// resultEra reports the era of the etcd type of call's result i.
func resultEra(call *ssa.Call, i int) etcdapi.Era {
	t := call.Type()
	if tup, ok := t.(*types.Tuple); ok {
		if i >= tup.Len() {
			return etcdapi.EraNone
		}
		t = tup.At(i).Type()
	}
	if ch, ok := t.Underlying().(*types.Chan); ok {
		t = ch.Elem()
	}
	e, _, _ := etcdapi.NamedType(t)
	return e
}

func opName(fn *types.Func, op etcdapi.Op) string {
	if fn.Signature().Recv() == nil && !strings.Contains(op.Name, ".") {
		return "clientv3." + op.Name
	}
	return op.Name
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// value returns the SSA value of the opened resource, nil when the result
// is discarded.
func (o opening) value() ssa.Value {
	if _, ok := o.call.Type().(*types.Tuple); !ok {
		if o.index == 0 {
			return o.call
		}
		return nil
	}
	refs := o.call.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == o.index {
			return e
		}
	}
	return nil
}

// check decides whether one opened resource leaks, and reports it.
func (c *Checker) check(o opening) {
	v := o.value()
	var f *fate
	if v != nil {
		f = c.track(v, o.call.Block())
	} else {
		f = &fate{vals: map[ssa.Value]bool{}}
	}
	switch o.kind {
	case etcdapi.ResWatcher, etcdapi.ResSession, etcdapi.ResClient:
		if o.main && o.kind != etcdapi.ResSession {
			return // the process ends them
		}
		if o.kind == etcdapi.ResSession && c.sessionEndsWithCtx(o) {
			return
		}
		if o.kind == etcdapi.ResSession && c.openedOnce(o) && !f.handedOff && !f.goroutine {
			// The process ends the session's keep-alive; only a key
			// still held under its lease outlives it (session.go).
			if k, held := c.keyHeldAtReturn(o, f); held {
				c.reportHeldAtExit(o, k)
			}
			return
		}
		if c.watchesEnd(o, f) {
			return // every watch on the Watcher ends, and it holds nothing
		}
		if !f.released && !f.handedOff && !f.goroutine {
			c.reportClosable(o, v)
			return
		}
		if l, ok := c.leakPath(o, f); ok {
			c.reportPath(o, l)
		}
	case etcdapi.ResWatchChan, etcdapi.ResKeepAlive:
		c.checkChannel(o, f)
	}
}

// checkChannel decides whether a watch or keep-alive leaks: opened on every
// iteration of a loop and not ended before the next; left behind by a
// receive loop; never received from (a keep-alive); read once and
// abandoned; drained by a goroutine that can never end.
func (c *Checker) checkChannel(o opening, f *fate) {
	if f.handedOff || c.ownedByReceiver(o) || c.ownedByResult(o) || c.revoked(o) {
		return
	}
	if o.kind == etcdapi.ResWatchChan && waitsForEnd(o) {
		return
	}
	ctx := c.ctxOf(o)
	if loop := c.iteration(o); loop != nil && !f.drained && !f.released && !endsPerIteration(ctx, loop) {
		switch ctx.Class {
		case summary.CtxParam, summary.CtxLongLived, summary.CtxForever, summary.CtxBounded:
			c.reportChannel(o, f, ctx, true)
			return
		}
	}
	if f.released {
		// Drained by a function of the application, perhaps in a loop
		// that opens it again.
		c.checkReopened(o, f)
		return
	}
	if f.drained {
		c.checkDrained(o, f, ctx)
		return
	}
	if o.main && o.kind == etcdapi.ResWatchChan {
		return // the process ends it
	}
	switch o.kind {
	case etcdapi.ResWatchChan:
		if ctx.Class == summary.CtxForever || ctx.Class == summary.CtxLongLived {
			c.reportChannel(o, f, ctx, false)
		}
	case etcdapi.ResKeepAlive:
		switch {
		case ctx.Class == summary.CtxForever || ctx.Class == summary.CtxLongLived:
			c.reportChannel(o, f, ctx, false)
		case len(f.recvs) == 0 && ctx.Class != summary.CtxBounded:
			// Never received from: the client renews the lease and drops
			// responses for as long as any context lives.
			c.reportChannel(o, f, ctx, false)
		}
	}
}

// checkDrained judges a channel received from in a loop: the loop must not
// leave the watch (or keep-alive) behind, and a goroutine draining a watch
// that is never cancelled must be able to end.
func (c *Checker) checkDrained(o opening, f *fate, ctx summary.Ctx) {
	if o.kind != etcdapi.ResWatchChan {
		// A keep-alive drained in a loop: its channel closes when the
		// lease is revoked or expires, which other code does; a loop that
		// gives up after a timeout usually grants a new lease; a loop that
		// opens it again on the same lease does not.
		c.checkReopened(o, f)
		return
	}
	exits := c.earlyExits(f)
	for _, e := range exits {
		if c.abandons(o, ctx, e) {
			c.reportAbandoned(o, ctx, e)
			return
		}
	}
	if len(exits) > 0 || ctx.Class != summary.CtxForever || o.main {
		return
	}
	// Rule: a goroutine that can only end when the watch closes never ends.
	for _, r := range f.drains {
		g := r.Block().Parent()
		if g.Parent() == nil {
			continue // a function's own loop: its caller decides how often it runs
		}
		if gs := goStmtOf(g); gs != nil && !isInit(gs.Parent()) {
			c.reportForever(o, ctx, gs)
			return
		}
	}
}

// abandons reports whether leaving a receive loop by e leaves the watch or
// keep-alive running for longer than the function's work.
func (c *Checker) abandons(o opening, ctx summary.Ctx, e exit) bool {
	switch ctx.Class {
	case summary.CtxForever:
		return !o.main
	case summary.CtxLongLived:
		// A stop channel of a long-lived owner usually comes with the
		// owner cancelling that same context; leaving on a response does not.
		return e.kind == exitData && !o.main
	case summary.CtxParam:
		// The loop stops on a context the function made for it, but the
		// watch was opened on the caller's: the caller's lives on.
		if e.kind != exitStop {
			return false
		}
		x := doneOf(e.stop)
		if x == nil {
			return false
		}
		xc := summary.ClassifyCtx(x)
		if xc.Class != summary.CtxBounded || len(xc.Ends) == 0 {
			return false
		}
		for _, end := range xc.Ends {
			if outermost(end.Parent()) != outermost(o.call.Parent()) || derivedFrom(o.ctx, end) {
				return false
			}
		}
		return true
	}
	return false
}

// goStmtOf returns the go statement that starts the literal g, or nil.
func goStmtOf(g *ssa.Function) *ssa.Go {
	p := g.Parent()
	if p == nil {
		return nil
	}
	for _, b := range p.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != g || mc.Referrers() == nil {
				continue
			}
			for _, r := range *mc.Referrers() {
				if gs, ok := r.(*ssa.Go); ok && gs.Call.Value == mc {
					return gs
				}
			}
		}
	}
	return nil
}

func isInit(fn *ssa.Function) bool {
	fn = outermost(fn)
	return fn.Signature.Recv() == nil && (fn.Name() == "init" || fn.Synthetic == "package initializer")
}

// ctxOf classifies the context o is opened on, with a description for
// messages.
func (c *Checker) ctxOf(o opening) summary.Ctx {
	if o.ctx == nil {
		switch o.ctxFact {
		case "field":
			return summary.Ctx{Class: summary.CtxLongLived, Desc: "the long-lived context " + o.name + " uses (a struct field or the client's own)"}
		case "forever":
			return summary.Ctx{Class: summary.CtxForever, Desc: "context.Background() inside " + o.name}
		}
		return summary.Ctx{}
	}
	ctx := summary.ClassifyCtx(o.ctx)
	switch ctx.Class {
	case summary.CtxParam:
		ctx.Desc = "the caller's context"
		if ctx.Param != nil {
			ctx.Desc += " (" + ctx.Param.Name() + ")"
		}
	case summary.CtxBounded:
		ctx.Desc = "a context cancelled only after the loop"
	}
	return ctx
}

// ownedByReceiver reports whether the watch or keep-alive of o is made on a
// Client, Watcher or Lease opened in the same function that ends it (closed
// there) or is itself reported as leaked.
func (c *Checker) ownedByReceiver(o opening) bool {
	if o.op == nil {
		return false
	}
	recv := dataflow.Arg(&o.call.Call, -1)
	if recv == nil {
		return false
	}
	released := c.releasedBases(o.call.Parent())
	b := base(recv)
	if released[b] {
		return true // cli.Close() in this function ends the watch
	}
	var call *ssa.Call
	switch b := b.(type) {
	case *ssa.Call:
		call = b
	case *ssa.Extract:
		call, _ = b.Tuple.(*ssa.Call)
	}
	if call == nil || !encloses(call.Parent(), o.call.Parent()) {
		return false
	}
	op, ok := etcdapi.Lookup(dataflow.Callee(&call.Call))
	if !ok || op.Kind != etcdapi.Open {
		return false
	}
	rv := opening{call: call, kind: op.Result}.value()
	if rv == nil {
		return false
	}
	f := c.track(rv, call.Block())
	switch {
	case f.released:
		return true
	case op.Result == etcdapi.ResClient || op.Result == etcdapi.ResWatcher:
		// Reported as leaked itself unless handed off (or in main.main,
		// where it is not reported).
		return !f.handedOff && !f.goroutine && !o.main
	}
	return false
}

// outermost returns the function that declares fn (fn itself, or the
// function its literal is nested in).
func outermost(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// releasedBases returns what the function declaring fn (with its
// literals) closes, cancels or drains, each as its base value.
func (c *Checker) releasedBases(fn *ssa.Function) map[ssa.Value]bool {
	out := map[ssa.Value]bool{}
	for _, v := range summary.Releases(outermost(fn), c.res) {
		out[base(v)] = true
	}
	return out
}

// maxBase bounds base's walk.
const maxBase = 32

// base strips from v what does not change which object it is: conversions,
// a client's embedded interfaces (cli.Watcher for cli.Watch), local
// variables assigned once and captured variables. It stops at other struct
// fields: two loads of r.lease may see different leases.
func base(v ssa.Value) ssa.Value {
	for range maxBase {
		switch x := v.(type) {
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.FreeVar:
			b := dataflow.Binding(x)
			if b == nil {
				return v
			}
			v = b
		case *ssa.Field:
			if !embedded(x.X.Type(), x.Field) {
				return v
			}
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			switch a := x.X.(type) {
			case *ssa.FieldAddr:
				if fieldOf(a) == nil || !fieldOf(a).Embedded() {
					return v
				}
				v = a.X
			case *ssa.Alloc, *ssa.FreeVar:
				st := onlyStore(a)
				if st == nil {
					return v
				}
				v = st
			default:
				return v
			}
		default:
			return v
		}
	}
	return v
}

func embedded(t types.Type, i int) bool {
	st, ok := t.Underlying().(*types.Struct)
	return ok && i >= 0 && i < st.NumFields() && st.Field(i).Embedded()
}

// onlyStore returns the one value stored in a local variable (a, or the
// variable a captured free variable is bound to), nil unless exactly one.
func onlyStore(a ssa.Value) ssa.Value {
	if fv, ok := a.(*ssa.FreeVar); ok {
		a = dataflow.Binding(fv)
		if a == nil {
			return nil
		}
	}
	if _, ok := a.(*ssa.Alloc); !ok || a.Referrers() == nil {
		return nil
	}
	var val ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// idKey identifies a lease ID: a field of a base value, or a base value.
type idKey struct {
	base  ssa.Value
	field int
}

func leaseIDKey(v ssa.Value) idKey {
	v = base(v)
	switch x := v.(type) {
	case *ssa.Field:
		return idKey{base(x.X), x.Field}
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			return idKey{base(fa.X), fa.Field}
		}
	}
	return idKey{v, -1}
}

// revoked reports whether the lease of a keep-alive is revoked in the
// function that declares it: Revoke ends the keep-alive and closes the channel.
func (c *Checker) revoked(o opening) bool {
	if o.op == nil || o.kind != etcdapi.ResKeepAlive {
		return false
	}
	id := dataflow.Arg(&o.call.Call, etcdapi.LeaseIDArg)
	if id == nil {
		return false
	}
	key := leaseIDKey(id)
	found := false
	summary.ForEachInstr(outermost(o.call.Parent()), func(instr ssa.Instruction) {
		call, ok := instr.(ssa.CallInstruction)
		if !ok || found {
			return
		}
		op, ok := etcdapi.Lookup(dataflow.Callee(call.Common()))
		if !ok || op.Kind != etcdapi.Revoke {
			return
		}
		if a := dataflow.Arg(call.Common(), etcdapi.LeaseIDArg); a != nil && leaseIDKey(a) == key {
			found = true
		}
	})
	return found
}

// sessionEndsWithCtx reports whether a session is opened with
// concurrency.WithContext on a context that ends (anything but a context
// that is never cancelled): its keep-alive stops with that context.
func (c *Checker) sessionEndsWithCtx(o opening) bool {
	if o.op == nil {
		return false
	}
	ends := false
	for _, a := range o.call.Call.Args {
		dataflow.Roots(a, func(root ssa.Value) {
			call, ok := root.(*ssa.Call)
			if !ok || !etcdapi.IsSessionWithContext(dataflow.Callee(&call.Call)) {
				return
			}
			if summary.ClassifyCtx(dataflow.Arg(&call.Call, 0)).Class != summary.CtxForever {
				ends = true
			}
		})
	}
	return ends
}

func encloses(outer, inner *ssa.Function) bool {
	for f := inner; f != nil; f = f.Parent() {
		if f == outer {
			return true
		}
	}
	return false
}

func (c *Checker) loopsOf(fn *ssa.Function) *dataflow.Loops {
	l := c.loops[fn]
	if l == nil {
		l = dataflow.NewLoops(fn)
		c.loops[fn] = l
	}
	return l
}

// abandoningReturn returns the position of the return nearest to o's
// creation that is not on the path where the creation failed (err != nil).
func (c *Checker) abandoningReturn(o opening) token.Pos {
	fn := o.call.Parent()
	var errBlocks []*ssa.BasicBlock
	if tup, ok := o.call.Type().(*types.Tuple); ok && tup.Len() > 1 &&
		types.Identical(tup.At(tup.Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		errBlocks = errorBranches(o.call, tup.Len()-1)
	}
	seen := map[*ssa.BasicBlock]bool{o.call.Block(): true}
	queue := []*ssa.BasicBlock{o.call.Block()}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if len(b.Instrs) > 0 {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && !dominatedByAny(errBlocks, b) {
				if ret.Pos().IsValid() {
					return ret.Pos()
				}
				return closingBrace(fn)
			}
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				queue = append(queue, s)
			}
		}
	}
	return token.NoPos
}

// errorBranches returns the blocks entered when the error result (at index
// i) of call is not nil.
func errorBranches(call *ssa.Call, i int) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	refs := call.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		e, ok := r.(*ssa.Extract)
		if !ok || e.Index != i || e.Referrers() == nil {
			continue
		}
		for _, u := range *e.Referrers() {
			cmp, ok := u.(*ssa.BinOp)
			if !ok || (cmp.Op != token.NEQ && cmp.Op != token.EQL) || cmp.Referrers() == nil {
				continue
			}
			for _, w := range *cmp.Referrers() {
				if iff, ok := w.(*ssa.If); ok && len(iff.Block().Succs) == 2 {
					if cmp.Op == token.NEQ {
						out = append(out, iff.Block().Succs[0])
					} else {
						out = append(out, iff.Block().Succs[1])
					}
				}
			}
		}
	}
	return out
}

func dominatedByAny(bs []*ssa.BasicBlock, b *ssa.BasicBlock) bool {
	for _, d := range bs {
		if len(d.Preds) == 1 && d.Dominates(b) {
			return true
		}
	}
	return false
}

func closingBrace(fn *ssa.Function) token.Pos {
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		if s.Body != nil {
			return s.Body.Rbrace
		}
	case *ast.FuncLit:
		if s.Body != nil {
			return s.Body.Rbrace
		}
	}
	return token.NoPos
}
