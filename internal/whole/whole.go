// Package whole is etcdlint's whole-program mode (etcdlint -whole ./...).
//
// go vet analyses one package at a time: facts flow only along imports, so an
// interface call resolves only to implementations in packages the caller
// imports. An application often wires its parts together in main instead:
// the package that writes a value to etcd calls an interface whose
// implementation (which fills a map in a loop) lives in a package it never
// imports. This mode loads every package of the pattern from source in one
// process and runs the same analyzers in two phases:
//
//  1. the fact analyzers the passes require, over the whole program, to
//     compute every function's facts;
//  2. the passes, with a program.Index installed: interface calls resolve to
//     every implementation in the program whose receiver type implements the
//     interface (class-hierarchy analysis on the loaded program; for an
//     interface of another module, a library's, only the implementations
//     that act on etcd), and facts of packages a caller does not import are
//     visible to it.
//
// In the second phase a call through a function-valued package variable or
// struct field (a hook main sets) also resolves, to every function the
// program's own packages store into it (program.FuncValues).
//
// The passes are the same code in both modes; only the resolver behind
// summary.Resolver and facts.Table differs.
package whole

import (
	"context"
	"fmt"
	"go/types"
	"io"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdssa"
	"github.com/etcdlint/etcdlint/internal/facts"
	"github.com/etcdlint/etcdlint/internal/facts/grows"
	"github.com/etcdlint/etcdlint/internal/program"
)

// Load loads the packages of patterns, with every dependency from source.
func Load(dir string, tests bool, patterns ...string) ([]*packages.Package, error) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: tests, Dir: dir}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no packages matched %v", patterns)
	}
	return pkgs, nil
}

// Analyze runs analyzers over pkgs in whole-program mode and returns the
// graph of the second phase, whose roots carry the diagnostics.
func Analyze(analyzers []*analysis.Analyzer, pkgs []*packages.Package) (*checker.Graph, error) {
	return AnalyzeIn(analyzers, pkgs, pkgs)
}

// AnalyzeIn is Analyze over the program made of the packages prog, with
// diagnostics for the packages report only (which prog must contain, in
// the same load). Only the fact stages analyzers need run (facts.Select).
func AnalyzeIn(analyzers []*analysis.Analyzer, prog, report []*packages.Package) (*checker.Graph, error) {
	facts.Select(analyzers)
	ix := newIndex(prog)
	if fa := factAnalyzers(analyzers); len(fa) > 0 {
		var g *checker.Graph
		var err error
		// The phases are labelled in CPU profiles (-cpuprofile): the
		// checker's goroutines inherit the label.
		pprof.Do(context.Background(), pprof.Labels("phase", "facts"), func(context.Context) {
			g, err = checker.Analyze(fa, prog, nil)
		})
		if err != nil {
			return nil, err
		}
		for act := range g.All() {
			for _, of := range act.AllObjectFacts() {
				ix.addFact(of.Object, of.Fact)
			}
		}
	}
	// The first phase's graph (its actions, their fact maps, what its
	// stages allocated and did not keep) is garbage once the index holds
	// the facts. At the loader's heap no collection runs during the phases
	// unless forced, so without this one the second phase's allocations
	// pile on top of the first's and set the peak: on the etcd target
	// 1500 MB against 1208 MB with it (the facts floor's 1049 MB), for
	// about 0.9 s more CPU (docs/performance.md).
	runtime.GC()
	program.Set(ix)
	defer program.Set(nil)
	var g *checker.Graph
	var err error
	pprof.Do(context.Background(), pprof.Labels("phase", "passes"), func(context.Context) {
		g, err = checker.Analyze(analyzers, report, nil)
	})
	return g, err
}

// factAnalyzers returns the analyzers, required by any of analyzers
// (transitively), that declare facts.
func factAnalyzers(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		if len(a.FactTypes) > 0 {
			out = append(out, a)
		}
	}
	for _, a := range analyzers {
		visit(a)
	}
	return out
}

type factKey struct {
	obj types.Object
	typ reflect.Type
}

// index is the whole program's program.Index.
type index struct {
	methods map[string][]*types.Func // concrete methods by name
	facts   map[factKey]analysis.Fact
	// acts are the functions with a fact of what they do to etcd (write,
	// watch, grant a lease, dial, compact, build a transaction), as
	// opposed to facts of reachability or size.
	acts map[types.Object]bool
	// own are the program's own packages: those of its main module, or the
	// loaded roots outside module mode.
	own map[*types.Package]bool
	// funcVals are the functions the program stores into each
	// function-valued package-level variable and struct field.
	funcVals map[*types.Var][]*types.Func

	// impls remembers Implementations' answers: every package of the
	// second phase asks about the same interfaces (every use of an
	// interface method, in every package, whether or not it reaches
	// etcd), and each answer is a types.Implements check of every method
	// of that name in the program. The answer depends only on the index,
	// which is complete before the second phase starts.
	implsMu sync.Mutex
	impls   map[implsKey][]*types.Func
}

type implsKey struct {
	recv types.Type
	name string
}

func newIndex(pkgs []*packages.Package) *index {
	ix := &index{methods: map[string][]*types.Func{}, facts: map[factKey]analysis.Fact{}, acts: map[types.Object]bool{}, own: map[*types.Package]bool{}}
	roots := map[*packages.Package]bool{}
	for _, p := range pkgs {
		roots[p] = true
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		switch {
		case p.Types == nil:
		case p.Module != nil:
			ix.own[p.Types] = p.Module.Main
		default: // GOPATH mode, or the standard library
			ix.own[p.Types] = roots[p] && !dataflow.IsStd(p.PkgPath)
		}
	})
	var all []*packages.Package
	packages.Visit(pkgs, nil, func(p *packages.Package) { all = append(all, p) })
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	ix.funcVals = funcValues(all, ix.own)
	seen := map[*types.Package]bool{}
	for _, p := range all {
		if p.Types == nil || seen[p.Types] {
			continue
		}
		seen[p.Types] = true
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok {
				continue
			}
			for m := range named.Methods() {
				ix.methods[m.Name()] = append(ix.methods[m.Name()], m)
			}
		}
	}
	return ix
}

func (ix *index) addFact(obj types.Object, fact analysis.Fact) {
	ix.facts[factKey{obj, reflect.TypeOf(fact)}] = fact
	switch fact.(type) {
	case *etcdssa.Touches, *grows.Grows, *grows.GrownFields:
		// Touches says only that a body uses etcd's API (its types
		// included: a protobuf Marshal method that reads an
		// mvccpb.KeyValue), and grows how large a value is: neither is
		// something the function does to etcd.
	default:
		ix.acts[obj] = true
	}
}

func (ix *index) Implementations(recv types.Type, name string) []*types.Func {
	key := implsKey{types.Unalias(recv), name}
	ix.implsMu.Lock()
	out, ok := ix.impls[key]
	ix.implsMu.Unlock()
	if ok {
		return out
	}
	out = slices.Clip(ix.implementations(recv, name)) // callers' appends copy
	ix.implsMu.Lock()
	if ix.impls == nil {
		ix.impls = map[implsKey][]*types.Func{}
	}
	ix.impls[key] = out
	ix.implsMu.Unlock()
	return out
}

// implementations computes Implementations.
func (ix *index) implementations(recv types.Type, name string) []*types.Func {
	named, ok := types.Unalias(recv).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return nil
	}
	own := ix.own[named.Obj().Pkg()]
	if !own && dataflow.IsStd(named.Obj().Pkg().Path()) {
		return nil
	}
	iface, ok := recv.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	var out []*types.Func
	for _, m := range ix.methods[name] {
		if !program.Implements(m, iface) {
			continue
		}
		// An interface of a library (a generic key-value store, another
		// module's) resolves only to the implementations that act on etcd:
		// its other implementations are many and say nothing about etcd.
		// One that only uses etcd's types (the program's protobuf messages
		// implementing protobuf's Marshaler) adds no fact to a caller but
		// Touches, and would make the library's callers, and theirs, reach
		// etcd for nothing: on etcd's own packages it made protobuf and
		// grpc, and from there most of etcd's server, be analysed again.
		if !own && !ix.acts[m] {
			continue
		}
		out = append(out, m)
	}
	return out
}

func (ix *index) FuncValues(v *types.Var) []*types.Func { return ix.funcVals[v] }

func (ix *index) ObjectFact(obj types.Object, ptr analysis.Fact) bool {
	f, ok := ix.facts[factKey{obj, reflect.TypeOf(ptr)}]
	if !ok {
		return false
	}
	return program.CopyFact(ptr, f)
}

// Diagnostics returns the number of diagnostics on the graph's roots.
func Diagnostics(g *checker.Graph) int {
	n := 0
	for _, act := range g.Roots {
		n += len(act.Diagnostics)
	}
	return n
}

// Print writes the roots' diagnostics as text (or JSON) to w.
func Print(w io.Writer, g *checker.Graph, json bool) error {
	if json {
		return g.PrintJSON(w)
	}
	return g.PrintText(w, -1)
}
