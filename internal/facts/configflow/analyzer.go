package configflow

import (
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/etcdssa"
	"github.com/etcdlint/etcdlint/internal/facts"
)

// Result is the analyzer's result: the package's flows, a fact-backed
// Resolver, and whether the package compacts etcd from a client.
type Result struct {
	SSA *etcdssa.Result
	// Compacts: the package, or a package it imports, calls KV.Compact.
	Compacts bool

	local map[*types.Func]*Flow
	// table resolves calls to the functions with a flow they may reach: its
	// candidates for an interface call are this package's methods with SSA
	// and its dependencies' with a flow.
	table *facts.Table[Flow, *Flow]
}

// Of returns the flow of fn (declared in this package or a dependency), or nil.
func (r *Result) Of(fn *types.Func) *Flow { return r.table.Of(fn) }

// Flows implements Resolver with facts.
func (r *Result) Flows(call *ssa.CallCommon) []Callee {
	fn := dataflow.Callee(call)
	if fn == nil {
		return nil
	}
	if !call.IsInvoke() {
		if f := r.Of(fn); f != nil {
			return []Callee{{fn, f}}
		}
		return nil
	}
	var out []Callee
	for _, c := range r.table.Callees(call) {
		out = append(out, Callee{c.Fn, c.Fact})
	}
	if len(out) == 0 {
		// The interface method's own fact: the union of the implementations
		// visible where it is declared.
		if f := r.Of(fn); f != nil {
			out = append(out, Callee{fn, f})
		}
	}
	return out
}

var Analyzer = &analysis.Analyzer{
	Name:             "nocompactfacts",
	Doc:              "follows embedded-etcd configs through functions and records what each function sets on them",
	URL:              "https://pkg.go.dev/github.com/etcdlint/etcdlint/internal/facts/configflow",
	Run:              run,
	RunDespiteErrors: true,
	Requires:         []*analysis.Analyzer{etcdssa.Analyzer},
	FactTypes:        []analysis.Fact{new(Flow), new(Compacts)},
	ResultType:       reflect.TypeFor[*Result](),
}

// maxRounds bounds the fixed point over mutually recursive functions.
const maxRounds = 16

func run(pass *analysis.Pass) (any, error) {
	ssares := pass.ResultOf[etcdssa.Analyzer].(*etcdssa.Result)
	r := &Result{SSA: ssares, local: map[*types.Func]*Flow{}}
	r.table = facts.NewTable(pass, r.local)
	if etcdapi.IsEtcdModule(pass.Pkg.Path()) {
		return r, nil // etcd itself: its API is modelled by etcdapi
	}
	for _, imp := range pass.Pkg.Imports() {
		if pass.ImportPackageFact(imp, new(Compacts)) {
			r.Compacts = true
		}
	}
	if ssares.Pkg != nil && !r.Compacts {
		r.Compacts = compacts(ssares.Funcs)
	}
	if r.Compacts {
		pass.ExportPackageFact(new(Compacts))
	}
	if ssares.Pkg == nil {
		return r, nil
	}

	r.table.Own = []*types.Func{}
	for _, fn := range ssares.Funcs {
		if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && isConcreteMethod(obj) {
			r.table.Own = append(r.table.Own, obj)
		}
	}
	eng := NewEngine(ssares.Funcs, r)
	// A function the summariser cannot handle gets no fact; nor does one
	// that does nothing with a config.
	facts.FixedPoint(ssares.Funcs, r.local, maxRounds, func(fn *ssa.Function) (*Flow, bool) {
		f := Summarise(eng, fn, r)
		_, had := r.local[fn.Object().(*types.Func)]
		return f, had || !f.empty()
	}, func(old, new *Flow) bool { return reflect.DeepEqual(old, new) })
	facts.Export(pass, r.local, func(f *Flow) bool { return !f.empty() })
	exportInterfaceFlows(pass, r)
	return r, nil
}

func isConcreteMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && !types.IsInterface(recv.Type())
}

// compacts reports whether one of funcs calls etcd's KV.Compact.
func compacts(funcs []*ssa.Function) bool {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					if op, ok := etcdapi.Lookup(dataflow.Callee(c.Common())); ok && op.Kind == etcdapi.Compact {
						return true
					}
				}
			}
		}
	}
	return false
}

// Summarise computes fn's flow, resolving calls with res.
func Summarise(eng *Engine, fn *ssa.Function, res Resolver) *Flow {
	f := new(Flow)
	for i, p := range fn.Params {
		if !IsConfigPtr(p.Type()) {
			continue
		}
		idx, ok := dataflow.ParamIndex(p, fn)
		if !ok {
			idx = i
		}
		eff := eng.Track([]ssa.Value{p}, State{})
		pf := ParamFlow{Index: idx, State: eff.State, Starts: len(eff.Starts) > 0}
		if !pf.State.empty() || pf.Starts {
			f.Params = append(f.Params, pf)
		}
		for _, r := range eff.Returns {
			if r.Fn == fn {
				f.Results = append(f.Results, ResultFlow{Index: r.Index, FromParam: true, Param: idx})
			}
		}
	}
	var origins []Origin
	var collect func(g *ssa.Function)
	collect = func(g *ssa.Function) {
		origins = append(origins, Origins(g, res)...)
		for _, anon := range g.AnonFuncs {
			collect(anon)
		}
	}
	collect(fn)
	for _, o := range origins {
		eff := eng.Track([]ssa.Value{o.Value}, o.Init)
		if eff.State.Opaque {
			continue
		}
		for _, r := range eff.Returns {
			if r.Fn == fn {
				f.Results = append(f.Results, ResultFlow{Index: r.Index, Fresh: true, State: eff.State,
					Started: o.Started || len(eff.Starts) > 0})
			}
		}
	}
	f.normalise()
	return f
}

// exportInterfaceFlows gives each interface method declared in this package
// the union of its visible implementations' flows.
//
// Policy: union (facts.Some). What any implementation may do to a config
// passed to it, a caller of the interface may cause.
func exportInterfaceFlows(pass *analysis.Pass, r *Result) {
	ifaces := r.table.InterfaceFacts(facts.Some(func(fs []*Flow) (*Flow, bool) {
		u := new(Flow)
		for _, f := range fs {
			for _, p := range f.Params {
				if q := u.Param(p.Index); q != nil {
					q.State.Merge(p.State)
					q.Starts = q.Starts || p.Starts
				} else {
					u.Params = append(u.Params, p)
				}
			}
			u.Results = append(u.Results, f.Results...)
		}
		u.normalise()
		return u, !u.empty()
	}))
	for m, u := range ifaces {
		r.local[m] = u
	}
	facts.Export(pass, ifaces, nil)
}
