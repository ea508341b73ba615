package txnops

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
	Name:      "txnops",
	Doc:       analyzerdoc.MustExtract(doc, "txnops"),
	URL:       "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#txnops",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	FactTypes: []analysis.Fact{new(OpList)},
	Run:       run,
})

// maxOps is the server's --max-txn-ops the program is checked against.
var maxOps = etcdapi.MaxTxnOps

func init() {
	Analyzer.Flags.IntVar(&maxOps, "max", maxOps,
		"the server's --max-txn-ops: a Txn If, Then or Else list longer than this is reported")
}

// OpList is the fact txnops exports on a function or method that builds or
// commits etcd operation or comparison lists:
//   - Grows: results ([]clientv3.Op or []clientv3.Cmp) whose length grows
//     with a collection that nothing bounds;
//   - From: the parameters (-1 is the receiver) that collection comes from;
//     empty when it is the function's own (a field, a Get response);
//   - Commits: parameters the function commits whole, unchunked, as a
//     Txn's If, Then or Else list;
//   - OpsFrom: parameters whose elements each add to a list the function
//     commits in one Txn (directly or through another helper): the list is
//     as long as the collection the caller passes.
type OpList struct {
	Grows   []int
	From    []int
	Commits []int
	OpsFrom []int
}

func (*OpList) AFact() {}

func (f *OpList) String() string {
	ints := func(xs []int) string {
		var ss []string
		for _, x := range xs {
			ss = append(ss, strconv.Itoa(x))
		}
		return strings.Join(ss, ",")
	}
	var parts []string
	if len(f.Grows) > 0 {
		s := "grows(" + ints(f.Grows) + ")"
		if len(f.From) > 0 {
			s += " from(" + ints(f.From) + ")"
		}
		parts = append(parts, s)
	}
	if len(f.Commits) > 0 {
		parts = append(parts, "commits("+ints(f.Commits)+")")
	}
	if len(f.OpsFrom) > 0 {
		parts = append(parts, "opsfrom("+ints(f.OpsFrom)+")")
	}
	return strings.Join(parts, " ")
}

func (f *OpList) empty() bool { return len(f.Grows) == 0 && len(f.Commits) == 0 && len(f.OpsFrom) == 0 }

func (f *OpList) equal(o *OpList) bool {
	return o != nil && slices.Equal(f.Grows, o.Grows) && slices.Equal(f.From, o.From) &&
		slices.Equal(f.Commits, o.Commits) && slices.Equal(f.OpsFrom, o.OpsFrom)
}

func addInt(xs []int, x int) []int {
	if slices.Contains(xs, x) {
		return xs
	}
	xs = append(xs, x)
	sort.Ints(xs)
	return xs
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	r := report.New(pass)
	c := newChecker(sum, sum.SSA.Pkg, pass.Files)
	c.table = facts.NewTable(pass, c.local)
	c.rep = r
	c.info = pass.TypesInfo
	local := c.computeFacts(sum.SSA.Funcs)
	for fn, f := range c.interfaceFacts() {
		local[fn] = f
	}
	facts.Export(pass, local, nil)
	for _, d := range c.check(sum.SSA.Funcs) {
		r.Report(d)
	}
	r.Finish()
	return nil, nil
}

// checker is the pass's core: it needs a resolver for interface calls, the
// facts of other packages' functions, and the syntax for positions.
type checker struct {
	res   summary.Resolver
	pkg   *ssa.Package
	files []*ast.File
	rep   *report.Reporter // contains a function's panic as a diagnostic
	// table holds the OpLists of this package and the others, and resolves
	// a call to the functions it may reach that carry one, whatever other
	// facts they carry.
	table *facts.Table[OpList, *OpList]

	local map[*types.Func]*OpList
	loops map[*ssa.Function][]*dataflow.Loop
	// results caches the measured length of a same-package function's
	// result (see resultCount); an entry is made before it is measured,
	// so recursion finds it unbounded.
	results map[resultKey]count
	globals map[*ssa.Global]globalConst
	// info is the package's type information, for the package-level
	// variables read as constants.
	info *types.Info
}

func newChecker(res summary.Resolver, pkg *ssa.Package, files []*ast.File) *checker {
	return &checker{
		res: res, pkg: pkg, files: files,
		local:   map[*types.Func]*OpList{},
		loops:   map[*ssa.Function][]*dataflow.Loop{},
		results: map[resultKey]count{},
		globals: map[*ssa.Global]globalConst{},
	}
}

func (c *checker) loopsOf(fn *ssa.Function) []*dataflow.Loop {
	ls, ok := c.loops[fn]
	if !ok {
		ls = dataflow.NaturalLoops(fn)
		c.loops[fn] = ls
	}
	return ls
}

func (c *checker) loopWithHeader(b *ssa.BasicBlock) *dataflow.Loop {
	if b == nil || b.Parent() == nil {
		return nil
	}
	for _, l := range c.loopsOf(b.Parent()) {
		if l.Header == b {
			return l
		}
	}
	return nil
}

func (c *checker) posOf(l *dataflow.Loop) token.Pos { return dataflow.LoopStmt(c.files, l) }

// factFor returns the OpList of what call reaches: its static callee, or
// for an interface method, the method's own fact or else the one every
// implementation with an OpList that the table sees agrees on.
//
// Policy: facts.Some, the intersection of the implementations that build
// an op list. An
// implementation that builds none does not make a list the others grow any
// shorter, so it is left out; of those that do, a list is known to grow
// with a parameter only when it grows with it in every one. An empty
// intersection is still the answer (none of them grows it).
func (c *checker) factFor(call *ssa.CallCommon) *OpList {
	return c.table.CallFact(call, facts.Some(func(fs []*OpList) (*OpList, bool) {
		f := agree(fs)
		return f, f != nil
	}))
}

// agree returns what every fact of fs has, or nil when fs is empty.
func agree(fs []*OpList) *OpList {
	if len(fs) == 0 {
		return nil
	}
	out := &OpList{Grows: fs[0].Grows, From: fs[0].From, Commits: fs[0].Commits, OpsFrom: fs[0].OpsFrom}
	for _, f := range fs[1:] {
		out = intersect(out, f)
	}
	return out
}

func intersect(a, b *OpList) *OpList {
	out := &OpList{}
	for _, g := range a.Grows {
		if slices.Contains(b.Grows, g) {
			out.Grows = append(out.Grows, g)
		}
	}
	for _, p := range a.Commits {
		if slices.Contains(b.Commits, p) {
			out.Commits = append(out.Commits, p)
		}
	}
	for _, p := range a.OpsFrom {
		if slices.Contains(b.OpsFrom, p) {
			out.OpsFrom = append(out.OpsFrom, p)
		}
	}
	if len(out.Grows) > 0 {
		for _, p := range append(append([]int(nil), a.From...), b.From...) {
			out.From = addInt(out.From, p)
		}
	}
	return out
}

// maxRounds bounds the fixed point over mutually recursive wrappers.
const maxRounds = 8

// computeFacts finds, bottom-up, this package's functions that return
// growing op lists or commit their parameters as Txn lists.
func (c *checker) computeFacts(funcs []*ssa.Function) map[*types.Func]*OpList {
	facts.FixedPoint(funcs, c.local, maxRounds, func(fn *ssa.Function) (*OpList, bool) {
		f := c.summarise(fn)
		return f, f != nil && !f.empty()
	}, (*OpList).equal)
	out := map[*types.Func]*OpList{}
	for fn, f := range c.local {
		out[fn] = f
	}
	return out
}

// summarise computes fn's OpList.
func (c *checker) summarise(fn *ssa.Function) *OpList {
	f := &OpList{}
	k := c.counter(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Return:
				for i, r := range instr.Results {
					if !etcdapi.IsTxnList(r.Type()) {
						continue
					}
					if n := k.length(r); n.kind == unbounded {
						f.Grows = addInt(f.Grows, i)
						for _, p := range n.from {
							f.From = addInt(f.From, p)
						}
					}
				}
			case ssa.CallInstruction:
				for _, s := range c.listsOf(instr.Common()) {
					if n := k.length(s.arg); n.kind == param {
						f.Commits = addInt(f.Commits, n.p)
					}
				}
			}
		}
	}
	c.opsFrom(fn, fn, f, 0)
	return f
}

// opsFrom adds to f the parameters of top whose elements each add to a
// list committed in one Txn by fn (top or one of its function literals),
// directly or through a helper with an OpsFrom fact.
func (c *checker) opsFrom(top, fn *ssa.Function, f *OpList, depth int) {
	if depth > 4 {
		return
	}
	k := c.counter(fn)
	add := func(n count) {
		if n.kind == unbounded && n.fromFn == top {
			for _, p := range n.from {
				f.OpsFrom = addInt(f.OpsFrom, p)
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			for _, s := range c.listsOf(call.Common()) {
				add(k.length(s.arg))
			}
			if h := c.factFor(call.Common()); h != nil {
				for _, q := range h.OpsFrom {
					add(k.sizeOf(dataflow.Arg(call.Common(), q)))
				}
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		c.opsFrom(top, anon, f, depth+1)
	}
}

func (c *checker) counter(fn *ssa.Function) *counter {
	top := fn
	for top.Parent() != nil {
		top = top.Parent()
	}
	return &counter{c: c, top: top, visited: map[ssa.Value]bool{}}
}

// listSite is one argument that becomes a Txn list.
type listSite struct {
	arg  ssa.Value
	list string      // etcdapi.ListIf, ListThen, ListElse
	txn  bool        // Txn.If/Then/Else (false: OpTxn)
	via  *types.Func // a wrapper that commits it
}

// listsOf returns the Txn lists call builds: its If/Then/Else or OpTxn
// arguments, or the arguments a wrapper commits whole.
func (c *checker) listsOf(call *ssa.CallCommon) []listSite {
	fn := dataflow.Callee(call)
	if fn == nil {
		return nil
	}
	var out []listSite
	if lists := etcdapi.TxnLists(fn); len(lists) > 0 {
		op, _ := etcdapi.Lookup(fn)
		for _, l := range lists {
			if a := dataflow.Arg(call, l.Arg); a != nil {
				out = append(out, listSite{arg: a, list: l.List, txn: op.Kind != etcdapi.MakeOp})
			}
		}
		return out
	}
	if f := c.factFor(call); f != nil {
		for _, p := range f.Commits {
			if a := dataflow.Arg(call, p); a != nil {
				out = append(out, listSite{arg: a, via: fn, txn: true})
			}
		}
	}
	return out
}

// interfaceFacts gives an interface method declared in pkg what all its
// implementations the package sees have in common.
//
// Policy: all agree. The method's own fact is what a caller in another
// package relies on without seeing the implementations, so every one must
// have a fact (unlike factFor, which sees them).
func (c *checker) interfaceFacts() map[*types.Func]*OpList {
	return c.table.InterfaceFacts(facts.AllAgree(func(fs []*OpList) (*OpList, bool) {
		f := agree(fs)
		return f, f != nil && !f.empty()
	}))
}

// check reports the Txn lists of funcs that can exceed the limit.
//
// A list that grows with a parameter of the function that commits it (a
// helper) is judged where the helper is called: see helpers.
func (c *checker) check(funcs []*ssa.Function) []report.Diagnostic {
	var out []report.Diagnostic
	var sites []*helperSite
	for _, fn := range funcs {
		if !fn.Pos().IsValid() && fn.Parent() == nil {
			continue
		}
		c.rep.Guard(fn.Pos(), "function "+fn.Name(), func() {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(ssa.CallInstruction)
					if !ok {
						continue
					}
					for _, s := range c.listsOf(call.Common()) {
						k := c.counter(fn)
						n := k.length(s.arg)
						if n.kind == unbounded && n.fromFn != nil {
							sites = append(sites, &helperSite{call: call, s: s, n: n, fn: n.fromFn, params: n.from})
							continue
						}
						if d, ok := c.diagnose(call, s, n); ok {
							out = append(out, d)
						}
					}
					d, site := c.otherHelper(fn, call)
					if d != nil {
						out = append(out, *d)
					}
					if site != nil {
						sites = append(sites, site)
					}
				}
			}
		})
	}
	out = append(out, c.judgeAtCallers(funcs, sites)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func (c *checker) diagnose(call ssa.CallInstruction, s listSite, n count) (report.Diagnostic, bool) {
	limit := int64(maxOps)
	what := "operations"
	if s.list == etcdapi.ListIf {
		what = "comparisons"
	}
	list := "the " + s.list + " list of this Txn"
	if !s.txn {
		list = "the " + s.list + " list of this OpTxn"
	}
	if s.via != nil {
		list = "the list this call commits through " + dataflow.FuncName(s.via)
		what = "entries"
	}
	var how string
	var related []analysis.RelatedInformation
	switch {
	case n.kind == unbounded:
		var grows string
		switch {
		case n.coll != "" && n.via != nil:
			grows = "grows with every element of " + n.coll + " (built by " + dataflow.FuncName(n.via) + ")"
		case n.coll != "":
			grows = "grows with every element of " + n.coll
		case n.via != nil:
			grows = "is built by " + dataflow.FuncName(n.via) + " from a collection nothing bounds"
		default:
			grows = "grows with a collection nothing bounds"
		}
		how = list + " " + grows
		if n.loop.IsValid() {
			related = append(related, report.Related(n.loop, "the loop that grows the list"))
		}
	case n.kind == exact && n.n > limit:
		how = fmt.Sprintf("%s holds %d %s", list, n.n, what)
	case n.kind == chunked && n.n > limit:
		how = fmt.Sprintf("%s is cut into chunks of up to %d %s", list, n.n, what)
	default:
		return report.Diagnostic{}, false
	}
	msg := message(how)
	pos := call.Pos()
	if !pos.IsValid() {
		pos = s.arg.Pos()
	}
	return report.Diagnostic{Pos: pos, Message: msg, Category: categoryOf(n), Related: related}, true
}

// message is a diagnostic's text: how the list gets past the limit, then
// what etcd does with it.
func message(how string) string {
	limit := int64(maxOps)
	return fmt.Sprintf("%s, but etcd rejects a txn whose If, Then or Else list holds more than %d entries "+
		"(--max-txn-ops, default %d: %q); commit it in chunks of at most %d",
		how, limit, etcdapi.MaxTxnOps, etcdapi.TooManyOpsError, limit)
}

func categoryOf(n count) string {
	switch n.kind {
	case unbounded:
		return "unbounded"
	case chunked:
		return "chunk"
	}
	return "constant"
}
