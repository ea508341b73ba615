package facts

import (
	"go/types"
	"slices"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/internal/program"
)

// Export exports the facts of local, in the source order of the functions,
// so that the fact set (and what a driver prints of it) is the same every
// run. Facts for which keep is false are not exported; keep may be nil.
func Export[F analysis.Fact](pass *analysis.Pass, local map[*types.Func]F, keep func(F) bool) {
	var fns []*types.Func
	for fn, f := range local {
		if keep == nil || keep(f) {
			fns = append(fns, fn)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	for _, fn := range fns {
		pass.ExportObjectFact(fn, local[fn])
	}
}

// InterfaceMethods calls yield for each method that an interface declared
// in pkg declares itself (not one it embeds: that one is yielded with the
// interface that declares it), with that interface, in scope order.
func InterfaceMethods(pkg *types.Package, yield func(m *types.Func, iface *types.Interface)) {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		iface, ok := tn.Type().Underlying().(*types.Interface)
		if !ok {
			continue
		}
		for i := range iface.NumExplicitMethods() {
			yield(iface.ExplicitMethod(i), iface)
		}
	}
}

// InterfaceFacts returns, for each method m that an interface declared in
// the table's package declares (see InterfaceMethods), the fact policy
// makes of the facts of m's implementations the package sees, one entry
// each (nil for one without a fact), ordered by package path and position:
//   - the methods of the package's own concrete types that implement the
//     interface (T or *T; a promoted method counts, with its own fact),
//     but those of function types (see adapter);
//   - the implementations in other packages that carry a fact (Visible).
//
// Never the whole program's: a fact exported for m must be the same under
// every driver. The caller exports the result (Export) and, where calls in
// its own package should see it, puts it in its Local.
func (t *Table[T, F]) InterfaceFacts(policy Policy[F]) map[*types.Func]F {
	out := map[*types.Func]F{}
	for _, own := range ownImplementations(t.pass.Pkg) {
		m, iface := own.method, own.iface
		impls := slices.Clone(own.impls)
		for _, c := range t.Visible(m, iface) {
			if !slices.Contains(impls, c.Fn) {
				impls = append(impls, c.Fn)
			}
		}
		sort.Slice(impls, func(i, j int) bool {
			if pi, pj := impls[i].Pkg().Path(), impls[j].Pkg().Path(); pi != pj {
				return pi < pj
			}
			return impls[i].Pos() < impls[j].Pos()
		})
		fs := make([]F, len(impls))
		for i, fn := range impls {
			fs[i] = t.Of(fn)
		}
		if f, ok := policy(fs); ok {
			out[m] = f
		}
	}
	return out
}

// ownImpls is an interface method declared in a package (InterfaceMethods)
// with the methods of the package's own concrete types that implement it.
type ownImpls struct {
	method *types.Func
	iface  *types.Interface
	impls  []*types.Func
}

// ownCache holds ownImplementations' answers while the stages run over a
// package: every stage's InterfaceFacts asks it the same question, each
// answer a types.Implements check of every concrete type of the package
// against every interface it declares. run drops the package's entry when
// its stages are done.
var ownCache sync.Map // *types.Package -> []ownImpls

// ownImplementations returns, in InterfaceMethods order, each interface
// method declared in pkg with the methods of pkg's own concrete types that
// implement its interface (T or *T; a promoted method counts), but those
// of function types (see adapter).
func ownImplementations(pkg *types.Package) []ownImpls {
	if v, ok := ownCache.Load(pkg); ok {
		return v.([]ownImpls)
	}
	scope := pkg.Scope()
	var concrete []types.Type
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok && !tn.IsAlias() && !types.IsInterface(tn.Type()) {
			concrete = append(concrete, tn.Type())
		}
	}
	var out []ownImpls
	implementers := map[*types.Interface][]types.Type{} // T or *T, per interface
	InterfaceMethods(pkg, func(m *types.Func, iface *types.Interface) {
		its, ok := implementers[iface]
		if !ok {
			for _, typ := range concrete {
				if impl := program.Implementer(typ, iface); impl != nil {
					its = append(its, impl)
				}
			}
			implementers[iface] = its
		}
		var impls []*types.Func
		for _, impl := range its {
			obj, _, _ := types.LookupFieldOrMethod(impl, true, pkg, m.Name())
			if fn, ok := obj.(*types.Func); ok && !adapter(fn) && !slices.Contains(impls, fn.Origin()) {
				impls = append(impls, fn.Origin())
			}
		}
		out = append(out, ownImpls{m, iface, impls})
	})
	v, _ := ownCache.LoadOrStore(pkg, out)
	return v.([]ownImpls)
}
