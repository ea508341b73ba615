package lostwatch

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/analyzerdoc"
	"github.com/etcdlint/etcdlint/internal/dataflow"
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
	Name:      "lostwatch",
	Doc:       analyzerdoc.MustExtract(doc, "lostwatch"),
	URL:       "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#lostwatch",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	FactTypes: []analysis.Fact{new(Watches)},
	Run:       run,
})

// includeTests is -include-tests: check test code too.
var includeTests = false

func init() {
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", includeTests,
		"also report watch loops in test code")
}

// Watches is the fact lostwatch exports on a function or method that
// opens, follows or waits:
//   - Opens: it returns a WatchChan it opened (directly or through a
//     function that does);
//   - Until: it opens a watch and follows it until the watch ends, then
//     returns (a watch loop a caller may run again);
//   - Rev: the parameters the watch's WithRev revision comes from;
//   - Ctx: the parameters the context of a watch it opens comes from, so
//     that a caller's consumer is judged on the context the caller gave;
//   - Pauses: every path through it waits (a sleep, a timer, a blocking
//     receive or select), so a loop that calls it is not a tight loop.
type Watches struct {
	Opens  bool
	Until  bool
	Rev    []int
	Ctx    []int
	Pauses bool
}

func (*Watches) AFact() {}

func (f *Watches) String() string {
	var parts []string
	if f.Opens {
		parts = append(parts, "opens")
	}
	if f.Until {
		parts = append(parts, "until")
	}
	if len(f.Rev) > 0 {
		var ss []string
		for _, r := range f.Rev {
			ss = append(ss, strconv.Itoa(r))
		}
		parts = append(parts, "rev("+strings.Join(ss, ",")+")")
	}
	if len(f.Ctx) > 0 {
		var ss []string
		for _, c := range f.Ctx {
			ss = append(ss, strconv.Itoa(c))
		}
		parts = append(parts, "ctx("+strings.Join(ss, ",")+")")
	}
	if f.Pauses {
		parts = append(parts, "pauses")
	}
	return "watches(" + strings.Join(parts, " ") + ")"
}

func (f *Watches) empty() bool { return !f.Opens && !f.Until && !f.Pauses }

func (f *Watches) equal(o *Watches) bool {
	return o != nil && f.Opens == o.Opens && f.Until == o.Until && f.Pauses == o.Pauses && slices.Equal(f.Rev, o.Rev) && slices.Equal(f.Ctx, o.Ctx)
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	r := report.New(pass)
	c := &checker{
		res: sum, pkg: pass.Pkg, files: pass.Files, info: pass.TypesInfo, fset: pass.Fset, rep: r,
		local:     map[*types.Func]*Watches{},
		loops:     map[*ssa.Function][]*dataflow.Loop{},
		pauseMemo: map[*ssa.Function]bool{},
	}
	c.table = facts.NewTable(pass, c.local)
	c.computeFacts(sum.SSA.Funcs)
	local := map[*types.Func]*Watches{}
	for fn, f := range c.local {
		if !f.empty() {
			local[fn] = f
		}
	}
	// An implementation whose fact is empty has none to export.
	exported := facts.AllAgree(func(fs []*Watches) (*Watches, bool) {
		for _, f := range fs {
			if f.empty() {
				return nil, false
			}
		}
		return agree(fs)
	})
	for fn, f := range c.table.InterfaceFacts(exported) {
		local[fn] = f
	}
	facts.Export(pass, local, nil)
	c.checkSpins(r)
	c.checkDoneSpins(r)
	c.checkFuncs(sum.SSA.Funcs)
	r.Finish()
	return nil, nil
}

// agree gives an interface method the fact all its implementations share.
//
// Policy: all agree (facts.AllAgree). A watch loop is judged by what the
// call does on every path: an implementation that does not re-open, end
// or pause (an in-memory fake) leaves the interface with no fact.
func agree(fs []*Watches) (*Watches, bool) {
	if len(fs) == 0 {
		return nil, false
	}
	out := &Watches{Opens: true, Until: true, Pauses: true}
	for _, f := range fs {
		out.Opens = out.Opens && f.Opens
		out.Until = out.Until && f.Until
		out.Pauses = out.Pauses && f.Pauses
		for _, r := range f.Rev {
			if !slices.Contains(out.Rev, r) {
				out.Rev = append(out.Rev, r)
			}
		}
		for _, x := range f.Ctx {
			if !slices.Contains(out.Ctx, x) {
				out.Ctx = append(out.Ctx, x)
			}
		}
	}
	slices.Sort(out.Rev)
	slices.Sort(out.Ctx)
	return out, !out.empty()
}

// checker is the pass's core: a resolver for interface calls, the facts of
// other packages' functions, and the syntax for positions.
type checker struct {
	res   summary.Resolver
	pkg   *types.Package
	files []*ast.File
	info  *types.Info
	fset  *token.FileSet
	rep   *report.Reporter
	// table holds the Watches facts of this package and the others.
	table *facts.Table[Watches, *Watches]

	local map[*types.Func]*Watches
	loops map[*ssa.Function][]*dataflow.Loop
	// calledInLoop holds this package's functions some function of the
	// package calls inside a loop: their watch's end is a caller's retry.
	calledInLoop map[*types.Func]bool
	// literalRerun holds the function literals their parent runs again: in
	// a loop (called, or started as a goroutine), or handed to a function
	// that runs it once per period (wait.Until).
	literalRerun map[*ssa.Function]bool
	// pauseMemo holds bodyPauses' answers.
	pauseMemo map[*ssa.Function]bool
}

func (c *checker) loopsOf(fn *ssa.Function) []*dataflow.Loop {
	ls, ok := c.loops[fn]
	if !ok {
		ls = dataflow.NaturalLoops(fn)
		c.loops[fn] = ls
	}
	return ls
}

// factFor returns the fact of what call reaches: its static callee, or for
// an interface method its own fact or else the one all the implementations
// the resolver sees share.
//
// Policy: all agree. A loop is taken to re-open, end or pause through an
// interface only when every implementation does: one that does not (an
// in-memory fake, a cached reader) is a path on which the watch is not
// re-opened. Agreed facts with nothing in them are an answer too (every
// implementation seen neither opens, ends nor pauses).
func (c *checker) factFor(call *ssa.CallCommon) *Watches {
	return c.table.CallFact(call, facts.AllAgree(func(fs []*Watches) (*Watches, bool) {
		f, _ := agree(fs)
		return f, f != nil
	}))
}

// maxRounds bounds the fixed point over mutually recursive functions.
const maxRounds = 8

func (c *checker) computeFacts(funcs []*ssa.Function) {
	facts.FixedPoint(funcs, c.local, maxRounds, func(fn *ssa.Function) (*Watches, bool) {
		return c.factOfBody(fn), true
	}, func(old, new *Watches) bool { return old.equal(new) })
	c.calledInLoop = map[*types.Func]bool{}
	c.literalRerun = map[*ssa.Function]bool{}
	for run := range dataflow.PeriodicFuncs(funcs) {
		if run.Parent() != nil {
			c.literalRerun[run] = true // a literal handed to wait.Until and the like
		}
	}
	for _, fn := range funcs {
		if fn.Blocks == nil {
			continue
		}
		loops := c.loopsOf(fn)
		for _, b := range fn.Blocks {
			inLoop := len(dataflow.Enclosing(loops, b)) > 0
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok || !inLoop {
					continue
				}
				if lit, _ := dataflow.RunFunc(call.Common().Value); lit != nil && lit.Parent() != nil {
					c.literalRerun[lit] = true
				}
				if call, ok := instr.(*ssa.Call); ok {
					if callee := dataflow.Callee(&call.Call); callee != nil && callee.Pkg() == c.pkg {
						c.calledInLoop[callee.Origin()] = true
					}
				}
			}
		}
	}
}

// factOfBody computes fn's fact from its body.
func (c *checker) factOfBody(fn *ssa.Function) *Watches {
	f := &Watches{}
	if fn.Blocks == nil {
		return f
	}
	f.Pauses = c.alwaysPauses(fn)
	for _, s := range c.sites(fn) {
		if s.ch && returned(fn, s.value()) {
			f.Opens = true
			f.Rev = addParams(f.Rev, fn, s.revs)
			if ctx := baseCtx(s.ctx); ctx != nil {
				f.Ctx = addParams(f.Ctx, fn, []ssa.Value{ctx})
			}
		}
		if s.until {
			// A function that calls a watch loop once is one; one that
			// calls it in a loop is a retry loop, not a watch loop.
			if len(dataflow.Enclosing(c.loopsOf(fn), s.call.Block())) == 0 {
				f.Until = true
				f.Rev = addParams(f.Rev, fn, s.revs)
			}
			continue
		}
		if !s.ch {
			continue
		}
		for _, rcv := range c.receives(fn, s) {
			if rcv.fn == fn && len(dataflow.Enclosing(c.loopsOf(fn), rcv.block)) > 0 && reachesReturn(rcv.ends) && !c.returnsOnEvent(rcv) {
				f.Until = true
				f.Rev = addParams(f.Rev, fn, s.revs)
			}
		}
	}
	if !f.Opens && !f.Until {
		f.Rev = nil
	}
	if !f.Opens {
		f.Ctx = nil
	}
	return f
}

// addParams adds to ps the parameters of fn the values vs come from.
func addParams(ps []int, fn *ssa.Function, vs []ssa.Value) []int {
	for _, v := range vs {
		dataflow.Roots(v, func(r ssa.Value) {
			if p, ok := r.(*ssa.Parameter); ok {
				if i, ok := dataflow.ParamIndex(p, fn); ok && !slices.Contains(ps, i) {
					ps = append(ps, i)
				}
			}
		})
	}
	slices.Sort(ps)
	return ps
}

// returned reports whether the value of call v (or one of its results) is
// returned by fn.
func returned(fn *ssa.Function, v ssa.Value) bool {
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for _, r := range ret.Results {
			found := false
			dataflow.Roots(r, func(x ssa.Value) {
				if x == v {
					found = true
				}
			})
			if found {
				return true
			}
		}
	}
	return false
}
