package facts

import (
	"go/types"
	"slices"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/program"
)

// Table is one pass's facts of type *T about functions: the package's own
// (Local, filled as the pass computes them), those of the packages it
// imports and, in whole-program mode, those of every package of the
// program. It resolves a call to the functions it may reach that carry
// such a fact, whatever facts other passes keep on them.
type Table[T any, F interface {
	*T
	analysis.Fact
}] struct {
	pass  *analysis.Pass
	Local map[*types.Func]F

	// Own, when set before the first call is resolved, is the package's
	// own concrete methods an interface call may reach; by default every
	// method of a type declared at the package's top level.
	Own []*types.Func

	mu       sync.Mutex
	imported map[*types.Func]F // nil when the function has no fact
	methods  map[string][]*types.Func
	implsOf  map[implsKey][]*types.Func
}

type implsKey struct {
	recv types.Type
	name string
}

// NewTable returns the table of pass's facts of type *T, with local the
// package's own (the map is kept, not copied).
func NewTable[T any, F interface {
	*T
	analysis.Fact
}](pass *analysis.Pass, local map[*types.Func]F) *Table[T, F] {
	return &Table[T, F]{pass: pass, Local: local}
}

// Of returns the fact of fn (declared in this package or another), or nil.
func (t *Table[T, F]) Of(fn *types.Func) F {
	if fn == nil || fn.Pkg() == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() == t.pass.Pkg {
		return t.Local[fn]
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if f, ok := t.imported[fn]; ok {
		return f
	}
	var f F = new(T)
	if !t.pass.ImportObjectFact(fn, f) {
		// In whole-program mode, a fact about a function of a package the
		// pass's package does not import.
		if ix := program.Current(); ix == nil || !ix.ObjectFact(fn, f) {
			f = nil
		}
		// Under go vet, a method the package does not see (hidden.go).
		if hf, ok := hiddenOf(t.pass).fact(fn, isFact[F]).(F); f == nil && ok {
			f = hf
		}
	}
	if t.imported == nil {
		t.imported = map[*types.Func]F{}
	}
	t.imported[fn] = f
	return f
}

// Callee is a function a call may reach, with its fact.
type Callee[F any] struct {
	Fn   *types.Func
	Fact F
}

// Callees returns the functions call may reach that carry a fact: its
// static callee or, for an interface method it invokes, the concrete
// methods that implement it among this package's, those of imported
// packages that carry a fact, and in whole-program mode every one in the
// program, in that order. The interface method's own fact is not among
// them: which of the two a pass prefers, and how it merges the
// implementations' facts, is the pass's policy.
func (t *Table[T, F]) Callees(call *ssa.CallCommon) []Callee[F] {
	fn := dataflow.Callee(call)
	if fn == nil {
		return nil
	}
	if !call.IsInvoke() {
		if f := t.Of(fn); f != nil {
			return []Callee[F]{{fn, f}}
		}
		return nil
	}
	var out []Callee[F]
	for _, m := range t.Implementations(call.Value.Type(), fn.Name()) {
		if f := t.Of(m); f != nil {
			out = append(out, Callee[F]{m, f})
		}
	}
	return out
}

// FuncValueCallees returns, in whole-program mode, the functions the
// program stores into the variable or struct field whose value a dynamic
// call calls that carry a fact (see program.FuncValues); nil for any other
// call and outside whole-program mode.
func (t *Table[T, F]) FuncValueCallees(call *ssa.CallCommon) []Callee[F] {
	var out []Callee[F]
	for _, fn := range program.FuncValueCallees(call) {
		if f := t.Of(fn); f != nil {
			out = append(out, Callee[F]{fn, f})
		}
	}
	return out
}

// Implementations returns the concrete methods named name that implement
// the interface type recv, with a fact or not: every concrete method of
// this package, the methods of other packages with a fact of this table's
// type, and in whole-program mode every one in the program, in that order.
func (t *Table[T, F]) Implementations(recv types.Type, name string) []*types.Func {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := implsKey{recv, name}
	if out, ok := t.implsOf[key]; ok {
		return out
	}
	if t.methods == nil {
		t.methods = t.candidates()
	}
	out := program.Implementations(recv, name, t.methods[name])
	if iface, ok := recv.Underlying().(*types.Interface); ok {
		out = withHidden(out, hiddenOf(t.pass).implementations(iface, name, isFact[F]))
	}
	if t.implsOf == nil {
		t.implsOf = map[implsKey][]*types.Func{}
	}
	t.implsOf[key] = out
	return out
}

// Visible returns the implementations of m, a method of the interface
// iface, that this package sees and that carry a fact, with their facts:
// the package's own and those of the packages it imports, never the whole
// program's (a fact exported for m must be the same under every driver).
// This is what a fact exported for an interface method rests on.
func (t *Table[T, F]) Visible(m *types.Func, iface *types.Interface) []Callee[F] {
	t.mu.Lock()
	if t.methods == nil {
		t.methods = t.candidates()
	}
	cands := t.methods[m.Name()]
	t.mu.Unlock()
	var impls []*types.Func
	for _, c := range cands {
		if Implements(c, iface) {
			impls = append(impls, c)
		}
	}
	impls = withHidden(impls, hiddenOf(t.pass).implementations(iface, m.Name(), isFact[F]))
	var out []Callee[F]
	for _, c := range impls {
		if f := t.Of(c); f != nil {
			out = append(out, Callee[F]{c, f})
		}
	}
	return out
}

// candidates indexes by name the concrete methods a call in this package
// may reach through an interface: the package's own, and those of other
// packages that carry a fact of this table's type.
func (t *Table[T, F]) candidates() map[string][]*types.Func {
	out := map[string][]*types.Func{}
	own := t.Own
	if own == nil {
		own = concreteMethods(t.pass.Pkg)
	}
	for _, m := range own {
		out[m.Name()] = append(out[m.Name()], m)
	}
	for _, of := range t.pass.AllObjectFacts() {
		fn, ok := of.Object.(*types.Func)
		if !ok || fn.Pkg() == t.pass.Pkg || fn.Signature().Recv() == nil || types.IsInterface(fn.Signature().Recv().Type()) {
			continue
		}
		if _, ok := of.Fact.(F); ok {
			out[fn.Name()] = append(out[fn.Name()], fn)
		}
	}
	// The driver's facts come in no particular order.
	for _, ms := range out {
		sort.Slice(ms, func(i, j int) bool {
			if pi, pj := ms[i].Pkg().Path(), ms[j].Pkg().Path(); pi != pj {
				return pi < pj
			}
			return ms[i].Pos() < ms[j].Pos()
		})
	}
	return out
}

// concreteMethods returns the methods of the concrete types declared at
// pkg's top level, in scope order.
func concreteMethods(pkg *types.Package) []*types.Func {
	var out []*types.Func
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
			continue
		}
		if named, ok := tn.Type().(*types.Named); ok {
			out = slices.AppendSeq(out, named.Methods())
		}
	}
	return out
}
