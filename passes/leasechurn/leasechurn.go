package leasechurn

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
	Name:      "leasechurn",
	Doc:       analyzerdoc.MustExtract(doc, "leasechurn"),
	URL:       "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#leasechurn",
	Requires:  []*analysis.Analyzer{summary.Analyzer},
	FactTypes: []analysis.Fact{new(Grants)},
	Run:       run,
})

var includeTests = false

func init() {
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", includeTests,
		"also report leases granted per tick or per element in test code")
}

// Grants is the fact leasechurn exports on a function or method that
// grants a new lease on every call (Lease.Grant outside any loop that
// repeats it and not behind a check of a lease the receiver holds),
// directly or through a function that does, and never revokes it:
//   - Result: the result that carries the lease (its ID or the grant
//     response), or -1 when the lease does not leave the function;
//   - Keys: the parameters (-1 is the receiver) the keys written with the
//     lease are built from;
//   - Attached: the function writes a key with the lease;
//   - Forever: the function keeps the lease alive with Lease.KeepAlive and
//     keeps its ID nowhere, so nothing can revoke it.
//
// A fact with none of these (unused) is a lease granted and dropped.
type Grants struct {
	Result   int
	Keys     []int
	Attached bool
	Forever  bool
}

func (*Grants) AFact() {}

func (g *Grants) String() string {
	var parts []string
	if g.Result >= 0 {
		parts = append(parts, "result="+strconv.Itoa(g.Result))
	}
	if len(g.Keys) > 0 {
		var ks []string
		for _, k := range g.Keys {
			ks = append(ks, strconv.Itoa(k))
		}
		parts = append(parts, "keys="+strings.Join(ks, ","))
	} else if g.Attached {
		parts = append(parts, "attached")
	}
	if g.Forever {
		parts = append(parts, "forever")
	}
	if len(parts) == 0 {
		parts = append(parts, "unused")
	}
	return "grants(" + strings.Join(parts, " ") + ")"
}

func (g *Grants) equal(o *Grants) bool {
	return o != nil && g.Result == o.Result && g.Attached == o.Attached && g.Forever == o.Forever && slices.Equal(g.Keys, o.Keys)
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	r := report.New(pass)
	c := &checker{res: sum, pkg: pass.Pkg, files: pass.Files, rep: r, funcs: sum.SSA.Funcs,
		local: map[*types.Func]*Grants{}, anon: map[*ssa.Function]*Grants{},
		skip: func(pos token.Pos) bool {
			return !includeTests && report.InTestCode(pass.Fset, pos, pass.Pkg.Path())
		},
	}
	c.table = facts.NewTable(pass, c.local)
	facts.FixedPoint(sum.SSA.Funcs, c.local, maxRounds, func(fn *ssa.Function) (*Grants, bool) {
		g := c.summarise(fn)
		return g, g != nil
	}, (*Grants).equal)
	local := map[*types.Func]*Grants{}
	for fn, g := range c.local {
		local[fn] = g
	}
	for fn, g := range c.table.InterfaceFacts(facts.AllAgree(agree)) {
		local[fn] = g
	}
	facts.Export(pass, local, nil)
	c.periodic = dataflow.PeriodicFuncs(sum.SSA.Funcs)
	for _, d := range c.check(sum.SSA.Funcs) {
		r.Report(d)
	}
	r.Finish()
	return nil, nil
}

// agree gives an interface method the fact of its implementations when
// every one of them grants a lease per call the same way.
//
// Policy: all agree (facts.AllAgree, for the method's own fact and at
// calls). Churn is
// reported where a lease is granted per call on every path; an
// implementation that reuses one lease makes the interface's calls cheap.
func agree(gs []*Grants) (*Grants, bool) {
	if len(gs) == 0 {
		return nil, false
	}
	for _, g := range gs[1:] {
		if !g.equal(gs[0]) {
			return nil, false
		}
	}
	return gs[0], true
}

// maxRounds bounds the fixed point over mutually recursive functions.
const maxRounds = 8

type checker struct {
	res   summary.Resolver
	pkg   *types.Package
	files []*ast.File
	rep   *report.Reporter
	// table holds the Grants facts of this package and the others.
	table *facts.Table[Grants, *Grants]
	skip  func(token.Pos) bool

	funcs []*ssa.Function
	local map[*types.Func]*Grants
	anon  map[*ssa.Function]*Grants // function literals called where they are made

	// periodic are the package's functions that run once per period
	// (dataflow.PeriodicFuncs), with the call that schedules each.
	periodic map[*ssa.Function]dataflow.Repeated
}

// factFor is the fact of what call reaches: its static callee, a function
// literal it calls, or the implementations of an interface method, when
// they all agree.
func (c *checker) factFor(call *ssa.CallCommon) *Grants {
	if mc, ok := call.Value.(*ssa.MakeClosure); ok {
		if lit, ok := mc.Fn.(*ssa.Function); ok {
			return c.literal(lit)
		}
	}
	if lit, ok := call.Value.(*ssa.Function); ok && lit.Parent() != nil {
		return c.literal(lit)
	}
	// Policy: all agree. A call through an interface grants a lease per
	// call only when every implementation the resolver sees grants the
	// same one: churn is reported where it happens on every path.
	return c.table.CallFact(call, facts.AllAgree(agree))
}

func (c *checker) literal(lit *ssa.Function) *Grants {
	if g, ok := c.anon[lit]; ok {
		return g
	}
	c.anon[lit] = nil // recursion guard
	g := c.summarise(lit)
	c.anon[lit] = g
	return g
}

// site is one place a lease is granted: a Lease.Grant call, or a call of a
// function that grants one on every call.
type site struct {
	call  ssa.CallInstruction
	via   *types.Func // the granting function, nil for Lease.Grant or a literal
	fact  *Grants     // the callee's fact, nil for Lease.Grant
	lease ssa.Value   // the value that carries the lease here, nil when it stays in the callee
	ttl   ssa.Value   // Grant's TTL argument, nil through a wrapper
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
			if etcdapi.IsGrant(callee) {
				s := site{call: call, ttl: dataflow.Arg(common, etcdapi.LeaseGrantTTLArg)}
				if v, ok := call.(*ssa.Call); ok {
					s.lease = result(v, 0)
				}
				out = append(out, s)
				continue
			}
			g := c.factFor(common)
			if g == nil {
				continue
			}
			s := site{call: call, via: callee, fact: g}
			if v, ok := call.(*ssa.Call); ok && g.Result >= 0 {
				s.lease = result(v, g.Result)
			}
			out = append(out, s)
		}
	}
	return out
}

// result returns result i of call: the call itself for a single result,
// or its Extract, or nil when the result is never used.
func result(call *ssa.Call, i int) ssa.Value {
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

// errorOf returns the error result of a grant call, or nil.
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
	return result(v, n-1)
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}
