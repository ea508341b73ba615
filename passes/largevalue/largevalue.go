package largevalue

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
	lvfacts "github.com/etcdlint/etcdlint/internal/facts/grows"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
	"github.com/etcdlint/etcdlint/internal/report"
)

//go:embed doc.go
var doc string

// Analyzer computes the pass's facts and its findings together, as a
// stage of facts.Analyzer (so on every package a fact may come from),
// and reports its findings on the packages analysed.
var Analyzer = facts.NewPass(facts.Spec{
	Name:      "largevalue",
	Doc:       analyzerdoc.MustExtract(doc, "largevalue"),
	URL:       "https://github.com/etcdlint/etcdlint/blob/main/docs/checks.md#largevalue",
	Requires:  []*analysis.Analyzer{summary.Analyzer, lvfacts.Analyzer},
	FactTypes: []analysis.Fact{new(Carries)},
	Run:       run,
})

var (
	maxBytes     int64 = 1 << 20
	includeTests       = false
)

func init() {
	Analyzer.Flags.Int64Var(&maxBytes, "max-bytes", maxBytes,
		"report a written value of constant size above this many bytes")
	Analyzer.Flags.BoolVar(&includeTests, "include-tests", includeTests,
		"also report writes in test code")
}

// Carries is the fact largevalue exports on a function or method that writes
// to etcd a value made from its parameters: Whole lists the parameters whose
// whole content is written (directly, marshalled, joined or formatted), Elems
// those (maps or slices) whose elements are each written, and Batch those
// (maps or slices) whose elements are all written in one request (one OpPut
// per element, gathered into one Txn). -1 is the receiver.
type Carries struct {
	Whole []int
	Elems []int
	Batch []int
}

func (*Carries) AFact() {}

func (c *Carries) String() string {
	list := func(xs []int) string {
		var ss []string
		for _, x := range xs {
			ss = append(ss, strconv.Itoa(x))
		}
		return strings.Join(ss, ",")
	}
	var parts []string
	if len(c.Whole) > 0 {
		parts = append(parts, "whole("+list(c.Whole)+")")
	}
	if len(c.Elems) > 0 {
		parts = append(parts, "elems("+list(c.Elems)+")")
	}
	if len(c.Batch) > 0 {
		parts = append(parts, "batch("+list(c.Batch)+")")
	}
	return "carries " + strings.Join(parts, " ")
}

func (c *Carries) empty() bool { return len(c.Whole) == 0 && len(c.Elems) == 0 && len(c.Batch) == 0 }

func (c *Carries) equal(d *Carries) bool {
	return slices.Equal(c.Whole, d.Whole) && slices.Equal(c.Elems, d.Elems) && slices.Equal(c.Batch, d.Batch)
}

func run(pass *analysis.Pass) (any, error) {
	sum := pass.ResultOf[summary.Analyzer].(*summary.Result)
	if sum.SSA == nil || sum.SSA.Pkg == nil {
		return nil, nil
	}
	growsRes := pass.ResultOf[lvfacts.Analyzer].(*lvfacts.Result)
	local := map[*types.Func]*Carries{}
	c := &checker{
		res:        sum,
		pkg:        pass.Pkg,
		files:      pass.Files,
		maxBytes:   maxBytes,
		grows:      growsRes.Of,
		growsAt:    growsRes.Callees,
		grownField: growsRes.GrownField,
		carried:    facts.NewTable(pass, local),
	}
	r := report.New(pass)
	for _, d := range c.check(sum.SSA.Funcs, local) {
		if !includeTests && report.InTestCode(pass.Fset, d.Pos, pass.Pkg.Path()) {
			continue
		}
		r.Report(d)
	}
	c.interfaceCarries(local)
	facts.Export(pass, local, func(f *Carries) bool { return !f.empty() })
	r.Finish()
	return nil, nil
}

// checker holds what the core logic needs: a resolver for calls, the facts
// of callees and the syntax for positions.
type checker struct {
	res      summary.Resolver
	pkg      *types.Package
	files    []*ast.File
	maxBytes int64
	grows    func(*types.Func) *lvfacts.Grows
	// growsAt resolves a call to the functions it may reach with a Grows fact.
	growsAt func(*ssa.CallCommon) []facts.Callee[*lvfacts.Grows]
	// grownField says how code of the program fills a struct's field in a
	// loop (lvfacts.GrownFields).
	grownField func(typ, field string) *lvfacts.GrownField
	// carried holds the Carries facts and resolves calls by them.
	carried *facts.Table[Carries, *Carries]

	loopCache map[*ssa.Function][]*dataflow.Loop
}

func (c *checker) loops(fn *ssa.Function) []*dataflow.Loop {
	if c.loopCache == nil {
		c.loopCache = map[*ssa.Function][]*dataflow.Loop{}
	}
	if l, ok := c.loopCache[fn]; ok {
		return l
	}
	l := dataflow.NaturalLoops(fn)
	c.loopCache[fn] = l
	return l
}

// maxRounds bounds the fixed point of Carries over the functions of one package.
const maxRounds = 8

// check computes the Carries of funcs (their top-level functions) into
// local, then returns the diagnostics.
func (c *checker) check(funcs []*ssa.Function, local map[*types.Func]*Carries) []report.Diagnostic {
	var tops []*ssa.Function
	for _, fn := range funcs {
		if fn.Parent() == nil {
			tops = append(tops, fn)
		}
	}
	facts.FixedPoint(funcs, local, maxRounds, func(fn *ssa.Function) (*Carries, bool) {
		f, _ := c.checkFunc(fn)
		// An empty fact matters only where it replaces one that was not.
		return f, f != nil && (!f.empty() || local[fn.Object().(*types.Func)] != nil)
	}, (*Carries).equal)
	var out []report.Diagnostic
	for _, fn := range tops {
		report.Recover(func() {
			_, ds := c.checkFunc(fn)
			out = append(out, ds...)
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// checkFunc returns what fn's parameters carry into written values and the
// diagnostics for its writes: direct etcd writes, and calls of functions
// whose Carries fact says they write a parameter.
func (c *checker) checkFunc(fn *ssa.Function) (*Carries, []report.Diagnostic) {
	carries := &Carries{}
	var out []report.Diagnostic
	byInstr := map[ssa.Instruction]summary.Write{}
	direct := map[ssa.Instruction][]summary.Write{}
	for _, wr := range summary.Writes(fn, c.res) {
		if wr.Via == nil {
			direct[wr.Instr] = append(direct[wr.Instr], wr)
		} else {
			byInstr[wr.Instr] = wr
		}
	}
	handle := func(wr summary.Write, walk func(w *walker)) bool {
		w := c.newWalker(fn)
		w.exclude(wr.Instr)
		w.via = wr.Via
		walk(w)
		carries.Whole = union(carries.Whole, w.whole)
		carries.Elems = union(carries.Elems, w.elems)
		key, keyKnown := writeKey(wr)
		if d, ok := c.diagnose(wr, key, keyKnown, w.found); ok {
			out = append(out, d)
			return true
		}
		if keyKnown {
			if d, ok := c.wholeParam(fn, wr, key, w.whole); ok {
				out = append(out, d)
				return true
			}
		}
		return false
	}
	summary.ForEachInstr(fn, func(instr ssa.Instruction) {
		for _, wr := range direct[instr] {
			reported := handle(wr, func(w *walker) {
				for _, v := range wr.Values {
					w.content(v)
				}
			})
			if l, ok := c.batchLoop(wr); ok {
				w := c.newWalker(fn)
				for _, v := range wr.Values {
					w.content(v)
				}
				carries.Batch = union(carries.Batch, w.elems)
				// A loop over a parameter's elements, or values made from
				// them: the caller decides how many, and its call is
				// checked instead.
				i, overParam := rangedParam(l, fn)
				if overParam {
					carries.Batch = union(carries.Batch, []int{i})
				}
				if !reported && len(w.elems) == 0 && !overParam {
					if d, ok := c.directBatch(l, wr); ok {
						out = append(out, d)
					}
				}
			}
		}
		call, ok := instr.(ssa.CallInstruction)
		if !ok {
			return
		}
		cc := call.Common()
		if _, isAPI := etcdapi.Lookup(dataflow.Callee(cc)); isAPI {
			return
		}
		whole, elems, batch, via := c.carriedBy(cc)
		if len(whole) == 0 && len(elems) == 0 && len(batch) == 0 {
			return
		}
		wr, ok := byInstr[instr]
		if !ok {
			wr = summary.Write{Instr: instr, Via: via}
		}
		reported := handle(wr, func(w *walker) {
			for _, i := range whole {
				w.content(dataflow.Arg(cc, i))
			}
			for _, i := range elems {
				w.element(dataflow.Arg(cc, i), modeContent)
			}
		})
		for _, i := range batch {
			arg := dataflow.Arg(cc, i)
			if arg == nil {
				continue
			}
			// A collection that grows here is reported here; one sent in
			// chunks is not one request; one handed in is the caller's.
			ci := c.collectionOf(arg)
			if d, ok, caller := c.batchDiagnostic(call, ci, arg, via); ok {
				if !reported {
					out = append(out, d)
					reported = true
				}
				if !caller {
					continue
				}
				// The values are elements of a parameter: the caller
				// that fills it in a loop with documents sends them all
				// in this one request too, and is reported as well.
			}
			if c.chunked(ci) {
				continue
			}
			w := c.newWalker(fn)
			w.element(arg, modeContent)
			carries.Batch = union(carries.Batch, w.elems)
		}
	})
	return carries, out
}

// carriedBy returns the parameters that the function called writes whole
// and element by element, from the Carries facts of the callee (an
// interface method's fact is the union of its implementations') and of the
// implementations, or the functions stored into a called function value,
// that carry one (facts.Table.Callees, FuncValueCallees).
//
// Policy: union. One callee that writes a parameter whole is enough for a
// grown collection passed to the call to become one etcd value.
func (c *checker) carriedBy(cc *ssa.CallCommon) (whole, elems, batch []int, via *types.Func) {
	var callees []facts.Callee[*Carries]
	switch fn := dataflow.Callee(cc); {
	case fn == nil:
		// A call through a function value: what the resolver sees stored
		// into it (whole-program mode).
		callees = c.carried.FuncValueCallees(cc)
	case cc.IsInvoke():
		if f := c.carried.Of(fn); f != nil {
			callees = append(callees, facts.Callee[*Carries]{Fn: fn, Fact: f})
		}
		callees = append(callees, c.carried.Callees(cc)...)
	default:
		callees = c.carried.Callees(cc)
	}
	for _, callee := range callees {
		f := callee.Fact
		whole, elems, batch = union(whole, f.Whole), union(elems, f.Elems), union(batch, f.Batch)
		if via == nil {
			via = callee.Fn
		}
	}
	return whole, elems, batch, via
}

// interfaceCarries gives each method of an interface declared in the
// package the union of the Carries of its implementations the package
// sees, so that callers in other packages, which call the interface, see
// them.
//
// Policy: union (facts.Some). One implementation that writes a parameter
// whole as one value is enough for a grown collection passed through the
// interface to become one etcd value in a program wired to it.
func (c *checker) interfaceCarries(local map[*types.Func]*Carries) {
	for m, u := range c.carried.InterfaceFacts(facts.Some(func(fs []*Carries) (*Carries, bool) {
		u := &Carries{}
		for _, f := range fs {
			u.Whole, u.Elems, u.Batch = union(u.Whole, f.Whole), union(u.Elems, f.Elems), union(u.Batch, f.Batch)
		}
		return u, !u.empty()
	})) {
		local[m] = u
	}
}

func union(a, b []int) []int {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	sort.Ints(a)
	return a
}

// writeKey returns the write's key when it is a constant.
func writeKey(wr summary.Write) (string, bool) {
	if len(wr.Keys) == 1 {
		if k, ok := dataflow.ConstString(wr.Keys[0]); ok {
			return k, true
		}
	}
	if len(wr.Keys) == 0 && len(wr.ConstKeys) == 1 {
		return wr.ConstKeys[0], true
	}
	return "", false
}

// diagnose turns the first reportable finding of a write into a diagnostic.
func (c *checker) diagnose(wr summary.Write, key string, keyKnown bool, found []*finding) (report.Diagnostic, bool) {
	pos := wr.Instr.Pos()
	if call, ok := wr.Instr.(ssa.CallInstruction); ok && call.Common().Pos().IsValid() {
		pos = call.Common().Pos()
	}
	// A finding under a known key reads best: try those first.
	var ordered []*finding
	for pass := 0; pass < 2; pass++ {
		for _, f := range found {
			known := keyKnown
			if f.elemKey != nil {
				_, known = dataflow.ConstString(f.elemKey)
			}
			if known == (pass == 0) {
				ordered = append(ordered, f)
			}
		}
	}
	for _, f := range ordered {
		k, known := key, keyKnown
		if f.elemKey != nil {
			k, known = dataflow.ConstString(f.elemKey)
		}
		target := "value written to etcd"
		if known {
			target = fmt.Sprintf("value written to %q", k)
		}
		var related []analysis.RelatedInformation
		if f.elemStore.IsValid() {
			related = append(related, report.Related(f.elemStore, "the value is stored in the map written here"))
		}
		if wr.Via != nil && wr.Via.Pos().IsValid() {
			related = append(related, report.Related(wr.Via.Pos(), "%s writes it to etcd", dataflow.QualifiedFuncName(wr.Via)))
		}
		if f.size > 0 {
			return report.Diagnostic{
				Pos: pos, Category: "size", Related: related,
				Message: fmt.Sprintf("%s is %d bytes (%s): etcd rejects requests over %s by default (\"request is too large\") and keeps ≥%d recent writes in memory; store the data elsewhere and write a reference",
					target, f.size, f.sizeWhat, mib(etcdapi.MaxRequestBytes), etcdapi.SnapshotCatchUpEntries),
			}, true
		}
		if f.held && !known {
			continue // one key per object: the collection may be the object's own
		}
		over := f.over
		if over == "" {
			over = "the iterations of a loop"
		}
		how := f.prefix + f.how
		if f.from != "" {
			how += ", " + f.from
		}
		if f.loop.pos.IsValid() {
			related = append(related, report.Related(f.loop.pos, "filled here, once per element"))
		}
		if f.marshalAt.IsValid() {
			related = append(related, report.Related(f.marshalAt, "encoded here"))
		}
		if f.callAt.IsValid() {
			related = append(related, report.Related(f.callAt, "returned by this interface call"))
		}
		if f.fromAt.IsValid() {
			related = append(related, report.Related(f.fromAt, "%s", f.from))
		}
		return report.Diagnostic{
			Pos: pos, Category: "grows", Related: related,
			Message: fmt.Sprintf("%s grows with %s (%s): etcd keeps ≥%d recent writes in memory and every revision until compaction, and rejects requests over %s; write one key per element",
				target, over, how, etcdapi.SnapshotCatchUpEntries, mib(etcdapi.MaxRequestBytes)),
		}, true
	}
	return report.Diagnostic{}, false
}

func mib(n int) string {
	s := strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64)
	return s + " MiB"
}

// aliases returns v and the values that are v again: the free variables of
// closures bound to it, and the loads of variables it is stored in.
func (c *checker) aliases(v ssa.Value) []ssa.Value {
	out := []ssa.Value{v}
	seen := map[ssa.Value]bool{v: true}
	add := func(x ssa.Value) {
		if x != nil && !seen[x] && len(out) < 64 {
			seen[x] = true
			out = append(out, x)
		}
	}
	for i := 0; i < len(out); i++ {
		refs := out[i].Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.MakeClosure:
				if fn, ok := r.Fn.(*ssa.Function); ok {
					for j, b := range r.Bindings {
						if b == out[i] && j < len(fn.FreeVars) {
							add(fn.FreeVars[j])
						}
					}
				}
			case *ssa.Store:
				if r.Val == out[i] {
					if alloc, ok := r.Addr.(*ssa.Alloc); ok {
						for _, l := range loadsOf(alloc, 0) {
							add(l)
						}
					}
					// A field of a local struct (snap.Hits = m, or the
					// composite literal snapshot{Hits: m}): its loads.
					if fa, ok := r.Addr.(*ssa.FieldAddr); ok {
						if alloc, ok := fa.X.(*ssa.Alloc); ok {
							for _, l := range fieldLoads(alloc, fa.Field) {
								add(l)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// fieldLoads returns the loads of field i of the local struct variable
// alloc in its function, and of the variables the struct is copied into
// whole (snap := snapshot{...} builds the literal, then copies it).
func fieldLoads(alloc *ssa.Alloc, i int) []ssa.Value {
	var out []ssa.Value
	vars := []*ssa.Alloc{alloc}
	for j := 0; j < len(vars) && j < 8; j++ {
		for _, r := range *vars[j].Referrers() {
			switch r := r.(type) {
			case *ssa.FieldAddr:
				if r.Field != i || r.Referrers() == nil {
					continue
				}
				for _, fr := range *r.Referrers() {
					if l, ok := fr.(*ssa.UnOp); ok && l.Op == token.MUL {
						out = append(out, l)
					}
				}
			case *ssa.UnOp: // a copy of the whole struct
				if r.Op != token.MUL || r.Referrers() == nil {
					continue
				}
				for _, cr := range *r.Referrers() {
					if st, ok := cr.(*ssa.Store); ok && st.Val == r {
						if dst, ok := st.Addr.(*ssa.Alloc); ok && !slices.Contains(vars, dst) {
							vars = append(vars, dst)
						}
					}
				}
			}
		}
	}
	return out
}

// loadsOf returns the loads of the variable addr, in its function and in
// the closures that capture it.
func loadsOf(addr ssa.Value, depth int) []ssa.Value {
	refs := addr.Referrers()
	if refs == nil || depth > maxClimb {
		return nil
	}
	var out []ssa.Value
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL && r.X == addr {
				out = append(out, r)
			}
		case *ssa.MakeClosure:
			if fn, ok := r.Fn.(*ssa.Function); ok {
				for j, b := range r.Bindings {
					if b == addr && j < len(fn.FreeVars) {
						out = append(out, loadsOf(fn.FreeVars[j], depth+1)...)
					}
				}
			}
		}
	}
	return out
}

// uses returns the instructions that use v or one of its aliases, directly
// or converted to an interface.
func (c *checker) uses(v ssa.Value) []ssa.Instruction {
	var out []ssa.Instruction
	for _, a := range c.aliases(v) {
		refs := a.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			out = append(out, r)
			if mi, ok := r.(*ssa.MakeInterface); ok && mi.Referrers() != nil {
				out = append(out, *mi.Referrers()...)
			}
		}
	}
	return out
}
