package hotkey

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
	Name:      "hotkey",
	Doc:       analyzerdoc.MustExtract(doc, "hotkey"),
	URL:       "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#hotkey",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	FactTypes: []analysis.Fact{new(Rewrite)},
	Run:       run,
})

var (
	maxBound     = 10
	includeTests = false
)

func init() {
	Analyzer.Flags.IntVar(&maxBound, "max-bound", maxBound,
		"a loop with a constant bound of at most this many iterations is not reported")
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", includeTests,
		"also check loops in _test.go files")
}

// Rewrite is the fact hotkey exports on a function or method that, on every
// call, writes an etcd key built only from constants, globals and the
// parameters in Params (-1 is the receiver), not guarded by a change check.
// Keys spell the keys, with {i} for parameter i and … for unknown parts.
//
// Maps are map parameters every key of which the function writes on every
// call (put m[k] under k, or under a key computed from k); a caller's map
// argument there must hold the same set of keys on every iteration.
//
// Set tells that the keys are every key of a map (directly, or through a
// callee whose fact has Set): the function may not be known to write etcd
// by the summary, which follows single keys only.
type Rewrite struct {
	Params []int
	Maps   []int
	Keys   []string
	Set    bool
	// Each tells that the keys are one per element of a collection the
	// function ranges over, built from the parameters in Params.
	Each bool
	// Some tells that the write goes through an interface method of which
	// only some implementations rewrite the key (the union policy): enough
	// for a loop paced by a timer, too weak for a loop over a few items.
	Some bool
}

func (*Rewrite) AFact() {}

func (r *Rewrite) String() string {
	var ps []string
	for _, p := range r.Params {
		ps = append(ps, strconv.Itoa(p))
	}
	var ks []string
	for _, k := range r.Keys {
		ks = append(ks, strconv.Quote(k))
	}
	out := "rewrites(" + strings.Join(ks, ",") + ") params(" + strings.Join(ps, ",") + ")"
	if len(r.Maps) > 0 {
		var ms []string
		for _, m := range r.Maps {
			ms = append(ms, strconv.Itoa(m))
		}
		out += " maps(" + strings.Join(ms, ",") + ")"
	}
	if r.Set {
		out += " set"
	}
	if r.Each {
		out += " each"
	}
	if r.Some {
		out += " some"
	}
	return out
}

func (r *Rewrite) equal(o *Rewrite) bool {
	return slices.Equal(r.Params, o.Params) && slices.Equal(r.Maps, o.Maps) && slices.Equal(r.Keys, o.Keys) && r.Set == o.Set && r.Each == o.Each && r.Some == o.Some
}

func (r *Rewrite) add(o *Rewrite) {
	r.Set = r.Set || o.Set
	r.Each = r.Each || o.Each
	r.Some = r.Some || o.Some
	for _, p := range o.Params {
		if !slices.Contains(r.Params, p) {
			r.Params = append(r.Params, p)
		}
	}
	for _, m := range o.Maps {
		if !slices.Contains(r.Maps, m) {
			r.Maps = append(r.Maps, m)
		}
	}
	for _, k := range o.Keys {
		if !slices.Contains(r.Keys, k) {
			r.Keys = append(r.Keys, k)
		}
	}
	sort.Ints(r.Params)
	sort.Ints(r.Maps)
	sort.Strings(r.Keys)
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	local := map[*types.Func]*Rewrite{}
	c := &checker{
		res:   sum,
		facts: facts.NewTable(pass, local).Of,
		files: pass.Files,
		skip: func(pos token.Pos) bool {
			return !includeTests && report.InTestCode(pass.Fset, pos, pass.Pkg.Path())
		},
	}
	for fn, f := range c.computeFacts(sum.SSA.Funcs) {
		local[fn] = f
	}
	facts.Export(pass, local, nil)
	r := report.New(pass)
	for _, d := range c.check(sum.SSA.Funcs) {
		r.Report(d)
	}
	r.Finish()
	return nil, nil
}

// checker holds what the core logic needs: a resolver for calls, the
// Rewrite facts of callees, and the syntax for positions.
type checker struct {
	res   summary.Resolver
	facts func(*types.Func) *Rewrite
	files []*ast.File
	skip  func(token.Pos) bool

	localFacts map[*types.Func]*Rewrite
	loopCalls  map[*dataflow.Loop]map[ssa.Value]bool
	regions    map[regionKey]*region
}

type regionKey struct {
	fn   *ssa.Function
	loop *dataflow.Loop // nil: the whole function
}

// regionOf returns the region of loop l of fn (of fn itself when l is nil).
func (c *checker) regionOf(fn *ssa.Function, l *dataflow.Loop) *region {
	k := regionKey{fn, l}
	if r, ok := c.regions[k]; ok {
		return r
	}
	in := func(b *ssa.BasicBlock) bool { return b.Parent() == fn }
	if l != nil {
		in = l.Contains
	}
	r := newRegion(fn, in)
	if c.regions == nil {
		c.regions = map[regionKey]*region{}
	}
	c.regions[k] = r
	return r
}

func (c *checker) factOf(fn *types.Func) *Rewrite {
	if fn == nil {
		return nil
	}
	if f := c.localFacts[fn.Origin()]; f != nil {
		return f
	}
	return c.facts(fn)
}

// maxRounds bounds the fixed point over mutually recursive wrappers.
const maxRounds = 8

// computeFacts finds, bottom-up, the functions of funcs that rewrite a key
// fixed by their parameters on every call.
func (c *checker) computeFacts(funcs []*ssa.Function) map[*types.Func]*Rewrite {
	c.localFacts = map[*types.Func]*Rewrite{}
	facts.FixedPoint(funcs, c.localFacts, maxRounds, func(fn *ssa.Function) (*Rewrite, bool) {
		f := c.factFor(fn)
		return f, f != nil
	}, (*Rewrite).equal)
	return c.localFacts
}

// site is one write with what the pass knows about its key.
type site struct {
	w      summary.Write
	keys   []ssa.Value // the values the key is built from
	text   func(fn *ssa.Function) string
	values []ssa.Value
	opPut  bool // an OpPut: written where the Op is committed
	// maps are maps whose every key is written (the set must not change);
	// enum is the range over the map whose key the write uses directly.
	maps []ssa.Value
	enum *ssa.Next
	set  bool // the keys are every key of a map
	// perElem: one key per element of a collection a loop ranges over.
	perElem bool
	some    bool // through an interface only some of whose implementations rewrite
	// pos is the write, when w.Instr is the call that runs the function
	// literal holding it (inLiteral).
	pos token.Pos
}

// sites turns fn's own writes (not its literals') into sites; writes whose
// key the pass cannot follow are dropped.
func (c *checker) sites(fn *ssa.Function) []site {
	var out []site
	covered := map[ssa.Instruction]bool{}
	for _, w := range summary.Writes(fn, c.res) {
		if w.Instr.Parent() != fn {
			continue
		}
		if w.Via == nil {
			if len(w.Keys) != 1 {
				continue // Election.Campaign/Proclaim: key not modelled
			}
			k := w.Keys[0]
			if m, next, ok := rangeMapOf(stripConv(k)); ok {
				out = append(out, site{
					w: w, values: w.Values, maps: []ssa.Value{m}, enum: next, set: true,
					text:  func(*ssa.Function) string { return unknown },
					opPut: w.Op.Deferred(),
				})
				continue
			}
			out = append(out, site{
				w: w, keys: w.Keys, values: w.Values,
				text:  func(fn *ssa.Function) string { return keyText(k, fn) },
				opPut: w.Op.Deferred(),
			})
			continue
		}
		call, ok := w.Instr.(ssa.CallInstruction)
		if !ok {
			continue
		}
		covered[w.Instr] = true
		common := call.Common()
		var rw *Rewrite
		some := false
		for _, callee := range c.res.Callees(common) {
			s := callee.Sum
			if s == nil || (len(s.Key) == 0 && len(s.Value) == 0 && len(s.ConstKeys) == 0) {
				continue
			}
			f := c.factOf(callee.Fn)
			if f == nil {
				if common.IsInvoke() {
					some = true
					continue // another implementation; see implementsRewrite
				}
				rw = nil
				break
			}
			if rw == nil {
				rw = new(Rewrite)
			}
			rw.add(f)
		}
		if rw != nil && some {
			rw.Some = true
		}
		if st, ok := wrapperSite(w, common, rw); ok {
			out = append(out, st)
		}
	}
	// Calls of functions that write every key of a map, which the summary
	// does not count as writes.
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || covered[instr] {
				continue
			}
			common := call.Common()
			callee := dataflow.Callee(common)
			if callee == nil {
				continue
			}
			if _, ok := etcdapi.Lookup(callee); ok {
				continue
			}
			var rw *Rewrite
			if !common.IsInvoke() {
				if f := c.factOf(callee); f != nil {
					rw = new(Rewrite)
					rw.add(f)
				}
			} else {
				for _, cl := range c.res.Callees(common) {
					f := c.factOf(cl.Fn)
					if f == nil {
						continue // the union: see implementsRewrite
					}
					if rw == nil {
						rw = new(Rewrite)
					}
					rw.add(f)
				}
			}
			if rw == nil || !rw.Set {
				continue
			}
			if st, ok := wrapperSite(summary.Write{Instr: instr, Via: callee}, common, rw); ok {
				out = append(out, st)
			}
		}
	}
	return out
}

// implementsRewrite is the policy for a call through an interface method:
// the union of the Rewrite facts of the implementations the caller can see
// (those of the packages it imports, and every one in the program under
// -whole). One implementation that rewrites a fixed key on every call is
// enough: a program wired to it rewrites the key on every iteration, and an
// implementation that writes only on change, or a decorator the pass cannot
// follow (a metrics wrapper that writes in a callback), does not make the
// etcd-backed one harmless. Static calls need the callee's own fact.

// wrapperSite is the site of a call of a wrapper whose (merged) fact is rw.
func wrapperSite(w summary.Write, common *ssa.CallCommon, rw *Rewrite) (site, bool) {
	if rw == nil || len(rw.Keys) == 0 {
		return site{}, false
	}
	var keys, maps []ssa.Value
	for _, i := range rw.Params {
		if v := dataflow.Arg(common, i); v != nil {
			keys = append(keys, v)
		}
	}
	for _, i := range rw.Maps {
		if v := dataflow.Arg(common, i); v != nil {
			maps = append(maps, v)
		}
	}
	text := rw.Keys[0]
	return site{
		w: w, keys: keys, values: w.Values, maps: maps, set: rw.Set, perElem: rw.Each, some: rw.Some,
		text: func(fn *ssa.Function) string {
			return substitute(text, func(i int) string { return keyText(dataflow.Arg(common, i), fn) })
		},
	}, true
}

// factFor computes fn's Rewrite fact, or nil.
func (c *checker) factFor(fn *ssa.Function) *Rewrite {
	var f *Rewrite
	var loops []*dataflow.Loop
	for i, s := range c.sites(fn) {
		if i == 0 {
			loops = dataflow.NaturalLoops(fn)
		}
		if s.opPut && !c.opWrites(fn, s) {
			continue
		}
		elems, ok := c.onceHere(fn, loops, s)
		if !ok {
			continue // a loop of its own: reported here, not one write per call
		}
		fx := wholeFunction(fn, c.regionOf(fn, nil))
		fx.elems = elems
		if !fx.all(s.keys...) || !fx.allSets(s.maps) {
			continue
		}
		all := func(*ssa.BasicBlock) bool { return true }
		if g := gateOf(s.w.Instr, s.values, all, nil); g.changed || g.eventRecv {
			continue
		}
		if f == nil {
			f = new(Rewrite)
		}
		var ps, ms []int
		for p := range fx.params {
			ps = append(ps, p)
		}
		for m := range fx.maps {
			ms = append(ms, m)
		}
		each := len(elems) > 0 || s.perElem
		f.add(&Rewrite{Params: ps, Maps: ms, Keys: []string{s.text(fn)}, Set: s.set || each, Each: each, Some: s.some})
	}
	return f
}

// opWrites reports whether the OpPut of site s is a write of fn on every
// call: fn commits a Txn, and the Txn that carries the Op puts it whatever
// the key holds (no compare, or a compare that is only concurrency
// control); for a map written in full, a Txn that is not known to check
// for a change or for absence.
func (c *checker) opWrites(fn *ssa.Function, s site) bool {
	if !c.commitsIn(fn, &dataflow.Loop{Body: everyBlock(fn)}) {
		return false
	}
	v, ok := s.w.Instr.(ssa.Value)
	if !ok {
		return false
	}
	g := guardOf(v, s.values)
	if s.enum != nil {
		return g != txnChanged && g != txnAbsent
	}
	return g == txnAlways
}

// onceHere reports whether the write runs a bounded number of times per
// call of fn: outside any loop, or only in retries and small constant loops.
//
// A range over a collection whose every element gives its own key (the
// key is not the same on every iteration, but is when the element is taken
// as fixed) writes one key per element: the same set of keys on every call
// when the collection is the same; elems holds those ranges' indexes.
func (c *checker) onceHere(fn *ssa.Function, loops []*dataflow.Loop, s site) (elems map[ssa.Value]bool, ok bool) {
	for _, l := range dataflow.Enclosing(loops, s.w.Instr.Block()) {
		if s.enumerates(l) {
			continue // the range over the written map: one write per key
		}
		if dataflow.LeavesOnWriteSuccess(l, c.writeCalls(fn, l, s)) {
			continue
		}
		if n, constBound, _ := bound(l); constBound && n <= int64(maxBound) {
			continue
		}
		if it := rangeIndex(l); it != nil {
			fx := fixednessIn(c.regionOf(fn, l), l.Contains)
			fx.elems = elems
			if !fx.all(s.keys...) {
				if elems == nil {
					elems = map[ssa.Value]bool{}
				}
				elems[it] = true
				fx = fixednessIn(c.regionOf(fn, l), l.Contains)
				fx.elems = elems
				if fx.all(s.keys...) {
					continue
				}
			}
		}
		return nil, false
	}
	return elems, true
}

// check reports the hot keys written in funcs.
func (c *checker) check(funcs []*ssa.Function) []report.Diagnostic {
	var out []report.Diagnostic
	for _, fn := range funcs {
		if !fn.Pos().IsValid() && fn.Parent() == nil {
			continue
		}
		if c.skip != nil && c.skip(fn.Pos()) {
			continue
		}
		out = append(out, c.repeatedWrappers(fn)...)
		sites := c.sites(fn)
		if len(sites) == 0 {
			continue
		}
		loops := dataflow.NaturalLoops(fn)
		timer := periodicOf(fn)
		for _, s := range sites {
			if d, ok := c.inLoop(fn, loops, s); ok {
				out = append(out, d)
				continue
			}
			if timer != nil {
				if d, ok := c.inTimer(fn, loops, timer, s); ok {
					out = append(out, d)
				}
				continue
			}
			if d, ok := c.throughLiterals(fn, loops, s); ok {
				out = append(out, d)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// throughLiterals judges a write of fn, a function literal, that no loop
// of fn repeats, where fn's parent runs it (inLiteral), and so on out
// through enclosing literals.
func (c *checker) throughLiterals(fn *ssa.Function, loops []*dataflow.Loop, s site) (report.Diagnostic, bool) {
	if len(dataflow.Enclosing(loops, s.w.Instr.Block())) > 0 {
		return report.Diagnostic{}, false
	}
	for depth := 0; depth < maxLiteralDepth && fn.Parent() != nil; depth++ {
		t, parent, ok := c.inLiteral(fn, s)
		if !ok {
			return report.Diagnostic{}, false
		}
		ploops := dataflow.NaturalLoops(parent)
		if d, ok := c.inLoop(parent, ploops, t); ok {
			return d, true
		}
		if len(dataflow.Enclosing(ploops, t.w.Instr.Block())) > 0 {
			return report.Diagnostic{}, false
		}
		fn, s = parent, t
	}
	return report.Diagnostic{}, false
}

// kind of loop that makes a key hot.
const (
	kindTimer = "timer"
	kindItems = "items"
	kindBusy  = "busy"
)

func (c *checker) inLoop(fn *ssa.Function, loops []*dataflow.Loop, s site) (report.Diagnostic, bool) {
	var elems map[ssa.Value]bool // ranges enumerated in full, innermost first
	for _, l := range dataflow.Enclosing(loops, s.w.Instr.Block()) {
		if s.enumerates(l) {
			continue // the range over the written map: one write per key
		}
		fx := fixednessIn(c.regionOf(fn, l), l.Contains)
		fx.elems = elems
		if !fx.all(s.keys...) || !fx.allSets(s.maps) {
			// One key per element of a collection this loop ranges
			// over: the same set of keys when the collection is (the
			// loops around it decide).
			it := rangeIndex(l)
			if it == nil {
				return report.Diagnostic{}, false // the key changes with the iteration
			}
			fx = fixednessIn(c.regionOf(fn, l), l.Contains)
			fx.elems = map[ssa.Value]bool{it: true}
			for e := range elems {
				fx.elems[e] = true
			}
			if !fx.all(s.keys...) || !fx.allSets(s.maps) {
				return report.Diagnostic{}, false
			}
			elems = fx.elems
			s.set, s.perElem = true, true
			continue
		}
		g := gateOf(s.w.Instr, s.values, l.Contains, fx)
		if g.changed || g.eventRecv {
			return report.Diagnostic{}, false
		}
		if dataflow.LeavesOnWriteSuccess(l, c.writeCalls(fn, l, s)) {
			continue // a retry: the outer loop may still repeat it
		}
		n, constBound, counted := bound(l)
		if constBound && n <= int64(maxBound) {
			continue
		}
		if s.opPut && !c.commitsIn(fn, l) {
			continue // the ops are committed after this loop
		}
		if s.opPut {
			if g := guardOf(s.w.Instr.(ssa.Value), s.values); g == txnChanged || g == txnAbsent {
				return report.Diagnostic{}, false // written only when changed, or only when absent
			}
		}
		p := pacingOf(fn, l)
		switch {
		case p.timer && !p.event:
			if g.timerGated && !rearmed(l, g.timerChan, g.timerBlock) {
				return report.Diagnostic{}, false // a one-shot timer: the write runs once per arming
			}
			period := p.period()
			if g.timerGated {
				period = g.timerCase
			}
			return c.diag(fn, l, s, kindTimer, period, p.waitPos), true
		case p.event || g.varying || s.some:
			// s.some: only a timer makes a partial union worth a report
			return report.Diagnostic{}, false
		case counted:
			return c.diag(fn, l, s, kindItems, "", token.NoPos), true
		case c.busy(fn, l):
			return c.diag(fn, l, s, kindBusy, "", token.NoPos), true
		}
		return report.Diagnostic{}, false
	}
	return report.Diagnostic{}, false
}

// writeCalls are the calls whose success ends a retry of s in l: the write
// itself, in the loop every Txn commit or Do and every writing wrapper, and
// the etcd calls that run after the write in its iteration.
func (c *checker) writeCalls(fn *ssa.Function, l *dataflow.Loop, s site) map[ssa.Value]bool {
	if c.loopCalls == nil {
		c.loopCalls = map[*dataflow.Loop]map[ssa.Value]bool{}
	}
	calls, ok := c.loopCalls[l]
	if !ok {
		calls = c.commits(fn, l)
		c.loopCalls[l] = calls
	}
	out := map[ssa.Value]bool{}
	for k := range calls {
		out[k] = true
	}
	if v, ok := s.w.Instr.(ssa.Value); ok {
		out[v] = true
	}
	// The etcd calls that follow the write in the same iteration: a loop
	// that grants, puts, then opens a KeepAlive and leaves once that
	// worked retries the whole registration, not the put alone.
	wb := s.w.Instr.Block()
	for b := range l.Body {
		if !wb.Dominates(b) {
			continue
		}
		after := b != wb
		for _, instr := range b.Instrs {
			if instr == s.w.Instr {
				after = true
			}
			if !after {
				continue
			}
			if call, ok := instr.(*ssa.Call); ok {
				if _, ok := etcdapi.Lookup(dataflow.Callee(&call.Call)); ok {
					out[call] = true
				}
			}
		}
	}
	return out
}

// commits finds l's Txn commits, Do calls, Puts and writing wrapper calls.
func (c *checker) commits(fn *ssa.Function, l *dataflow.Loop) map[ssa.Value]bool {
	out := map[ssa.Value]bool{}
	for _, b := range fn.Blocks {
		if !l.Contains(b) {
			continue
		}
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if op, ok := etcdapi.Lookup(dataflow.Callee(&call.Call)); ok {
				if op.Kind == etcdapi.TxnCommit || op.Kind == etcdapi.Do || op.Kind == etcdapi.Put {
					out[call] = true
				}
				continue
			}
			for _, callee := range c.res.Callees(&call.Call) {
				if callee.Sum != nil && (len(callee.Sum.Key) > 0 || len(callee.Sum.ConstKeys) > 0) {
					out[call] = true
				}
			}
		}
	}
	return out
}

// commitsIn reports whether l commits the ops it builds: a Txn commit or a
// KV.Do call inside the loop.
func (c *checker) commitsIn(fn *ssa.Function, l *dataflow.Loop) bool {
	for _, b := range fn.Blocks {
		if !l.Contains(b) {
			continue
		}
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok {
				if op, ok := etcdapi.Lookup(dataflow.Callee(call.Common())); ok && (op.Kind == etcdapi.TxnCommit || op.Kind == etcdapi.Do) {
					return true
				}
			}
		}
	}
	return false
}

// quietPackages are standard packages whose functions neither block nor
// wait for a change, so a loop calling only them (and etcd) is not paced.
var quietPackages = map[string]bool{
	"fmt": true, "strings": true, "strconv": true, "errors": true, "bytes": true,
	"encoding/json": true, "math": true, "sort": true, "path": true, "log": true, "slices": true, "maps": true,
}

// busy reports whether nothing in l can wait: no channel operation and no
// call other than etcd's API, the application's etcd wrappers, and quiet
// standard functions.
func (c *checker) busy(fn *ssa.Function, l *dataflow.Loop) bool {
	for _, b := range fn.Blocks {
		if !l.Contains(b) {
			continue
		}
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Select, *ssa.Send, *ssa.Go:
				return false
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					return false
				}
			case ssa.CallInstruction:
				if !c.quietCall(instr.Common()) {
					return false
				}
			}
		}
	}
	return true
}

func (c *checker) quietCall(call *ssa.CallCommon) bool {
	if _, ok := call.Value.(*ssa.Builtin); ok {
		return true
	}
	if _, ok := etcdapi.Lookup(dataflow.Callee(call)); ok {
		return true
	}
	fn := dataflow.Callee(call)
	if fn == nil {
		// a cancel func from context.WithTimeout/WithCancel
		if ex, ok := call.Value.(*ssa.Extract); ok {
			if cc, ok := ex.Tuple.(*ssa.Call); ok {
				if f := dataflow.Callee(&cc.Call); f != nil && f.Pkg() != nil && f.Pkg().Path() == "context" {
					return true
				}
			}
		}
		return false
	}
	if fn.Pkg() == nil {
		return false
	}
	path := fn.Pkg().Path()
	switch {
	case etcdapi.IsEtcdModule(path), quietPackages[path]:
		return true
	case path == "context":
		return true
	case path == "time":
		return fn.Name() == "Now" || fn.Name() == "Since"
	}
	for _, callee := range c.res.Callees(call) {
		if callee.Sum != nil && (len(callee.Sum.Key) > 0 || len(callee.Sum.ConstKeys) > 0) && c.factOf(callee.Fn) != nil {
			return true
		}
	}
	return false
}

// afterFunc is a function literal that runs once per period: a
// time.AfterFunc callback that re-arms itself, or one a scheduler runs
// (dataflow.RepeatedCall).
type afterFunc struct {
	call   token.Pos // the call that schedules it
	period string
	how    string // "by this time.AfterFunc callback, which re-arms itself"
}

// periodicOf reports whether fn is a function literal that runs once per
// period: one its parent hands to a scheduler that runs it every period
// (dataflow.RepeatedCall), or one it passes to time.AfterFunc that re-arms
// itself (calls time.AfterFunc or Timer.Reset again, or the function that
// scheduled it).
func periodicOf(fn *ssa.Function) *afterFunc {
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	var at *afterFunc
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if r, ok := dataflow.RepeatedCall(call); ok {
				if f, _ := dataflow.RunFunc(r.Fn); f == fn {
					return &afterFunc{call: call.Pos(), period: duration(r.Period), how: "by this callback, which " + r.Name + " runs once per period"}
				}
				continue
			}
			if !isTimeFunc(call.Common(), "AfterFunc") || len(call.Common().Args) < 2 {
				continue
			}
			if f, _ := dataflow.RunFunc(call.Common().Args[1]); f == fn {
				at = &afterFunc{call: call.Pos(), period: duration(call.Common().Args[0]),
					how: "by this time.AfterFunc callback, which re-arms itself"}
			}
		}
	}
	if at == nil {
		return nil
	}
	again, period := rearms(fn, parent)
	if !again {
		return nil
	}
	if p := duration(period); p != "" {
		at.period = p // the period is the re-arming call's, not the first delay
	}
	return at
}

// rearms reports whether fn, a time.AfterFunc callback made in parent,
// schedules itself again, and the duration the re-arming call gives (nil
// when it is a call of parent).
func rearms(fn, parent *ssa.Function) (bool, ssa.Value) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := call.Common()
			if isTimeFunc(common, "AfterFunc") && len(common.Args) > 0 {
				return true, common.Args[0]
			}
			if isTimeFunc(common, "Timer.Reset") && len(common.Args) > 1 {
				return true, common.Args[1]
			}
			if sc := common.StaticCallee(); sc != nil && (sc == parent || sc == parent.Origin()) {
				return true, nil
			}
		}
	}
	return false, nil
}

func (c *checker) inTimer(fn *ssa.Function, loops []*dataflow.Loop, at *afterFunc, s site) (report.Diagnostic, bool) {
	if len(dataflow.Enclosing(loops, s.w.Instr.Block())) > 0 {
		return report.Diagnostic{}, false
	}
	all := func(b *ssa.BasicBlock) bool { return b.Parent() == fn }
	fx := fixednessIn(c.regionOf(fn, nil), all)
	if !fx.all(s.keys...) {
		return report.Diagnostic{}, false
	}
	if g := gateOf(s.w.Instr, s.values, all, nil); g.changed || g.eventRecv {
		return report.Diagnostic{}, false
	}
	return c.message(fn, s, "every "+orTick(at.period)+" "+at.how,
		"afterfunc", []analysis.RelatedInformation{report.Related(at.call, "the callback is scheduled here")}), true
}

// repeatedWrappers reports the calls in fn that hand a scheduler a
// declared function or a method value (wait.UntilWithContext(ctx,
// r.publish, 5*time.Second)) that rewrites a key fixed by its receiver or
// by nothing: the receiver is bound once, so every run writes the same key.
func (c *checker) repeatedWrappers(fn *ssa.Function) []report.Diagnostic {
	var out []report.Diagnostic
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			r, ok := dataflow.RepeatedCall(call)
			if !ok {
				r, ok = dataflow.RearmedAfterFunc(call)
			}
			if !ok {
				continue
			}
			run, recv := dataflow.RunFunc(r.Fn)
			if run == nil || run.Parent() != nil {
				continue // a literal: its own writes are checked in it
			}
			obj, ok := run.Object().(*types.Func)
			if !ok {
				continue
			}
			rw := c.factOf(obj)
			if rw == nil || len(rw.Keys) == 0 || len(rw.Maps) > 0 {
				continue
			}
			bound := true
			for _, p := range rw.Params {
				bound = bound && p == -1 && recv != nil
			}
			if !bound {
				continue // a key from what the scheduler passes
			}
			text := rw.Keys[0]
			s := site{
				w: summary.Write{Instr: call, Via: obj}, set: rw.Set, perElem: rw.Each, some: rw.Some,
				text: func(fn *ssa.Function) string {
					return substitute(text, func(int) string { return keyText(recv, fn) })
				},
			}
			how := "every " + orTick(duration(r.Period)) + " by this " + r.Name
			if r.Name == "time.AfterFunc" {
				how += ", whose callback re-arms itself"
			}
			out = append(out, c.message(fn, s, how, "afterfunc", nil))
		}
	}
	return out
}

func orTick(period string) string {
	if period == "" {
		return "tick"
	}
	return period
}

func (c *checker) diag(fn *ssa.Function, l *dataflow.Loop, s site, kind, period string, wait token.Pos) report.Diagnostic {
	var how string
	switch kind {
	case kindTimer:
		if period != "" {
			how = "every " + period + " by this loop"
		} else {
			how = "on every tick of this loop"
		}
	case kindItems:
		how = "once per element of this loop"
	case kindBusy:
		how = "on every iteration of this loop, which nothing paces or bounds"
	}
	var related []analysis.RelatedInformation
	if pos := dataflow.LoopStmt(c.files, l); pos.IsValid() {
		related = append(related, report.Related(pos, "the loop"))
	}
	if wait.IsValid() {
		related = append(related, report.Related(wait, "each iteration waits for this timer"))
	}
	return c.message(fn, s, how, kind, related)
}

func (c *checker) message(fn *ssa.Function, s site, how, category string, related []analysis.RelatedInformation) report.Diagnostic {
	key := s.text(nil)
	name := "a fixed etcd key"
	if key != unknown {
		name = "etcd key " + strconv.Quote(key)
	}
	if s.perElem {
		const each = " (one per element of a collection the loop does not change)"
		if key != unknown {
			name = "etcd keys " + strconv.Quote(key) + each
		} else {
			name = "the same set of etcd keys" + each
		}
	} else if key == unknown && s.set {
		name = "the same set of etcd keys (every key of a map filled from an unchanging collection)"
	}
	via := ""
	if s.w.Via != nil {
		named := s.w.Via
		if call, ok := s.w.Instr.(ssa.CallInstruction); ok && call.Common().IsInvoke() {
			named = call.Common().Method // the interface method the caller wrote
		}
		via = " (through " + dataflow.FuncName(named) + ")"
	}
	msg := fmt.Sprintf("%s is rewritten %s%s: each write is a new revision and a raft entry; "+
		"etcd keeps ≥%d recent entries in memory and, without compaction, every revision forever; "+
		"write only when the value changes, keep liveness with a lease and KeepAlive, or aggregate the writes",
		name, how, via, etcdapi.SnapshotCatchUpEntries)
	pos := s.reportPos()
	if pos != s.w.Instr.Pos() {
		related = append(related, report.Related(s.w.Instr.Pos(), "the function literal runs here"))
	}
	return report.Diagnostic{Pos: pos, Message: msg, Category: category, Related: related}
}

// enumerates reports whether l is the range loop over the map whose keys s
// writes.
func (s site) enumerates(l *dataflow.Loop) bool {
	return s.enum != nil && s.enum.Block() == l.Header
}

func everyBlock(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	out := map[*ssa.BasicBlock]bool{}
	for _, b := range fn.Blocks {
		out[b] = true
	}
	return out
}

// stripConv removes conversions around a key.
func stripConv(v ssa.Value) ssa.Value {
	for range 4 {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return v
		}
	}
	return v
}
