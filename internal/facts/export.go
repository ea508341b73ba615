package facts

import (
	"go/types"
	"sort"

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

// Implementations calls yield, for each method m an interface declared in
// pkg declares (see InterfaceMethods), with the methods that implement m on
// pkg's own concrete types (T or *T), in scope order.
func Implementations(pkg *types.Package, yield func(m *types.Func, impls []*types.Func)) {
	scope := pkg.Scope()
	var concrete []types.Type
	for _, name := range scope.Names() {
		if tn, ok := scope.Lookup(name).(*types.TypeName); ok && !tn.IsAlias() && !types.IsInterface(tn.Type()) {
			concrete = append(concrete, tn.Type())
		}
	}
	InterfaceMethods(pkg, func(m *types.Func, iface *types.Interface) {
		var impls []*types.Func
		for _, t := range concrete {
			impl := program.Implementer(t, iface)
			if impl == nil {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(impl, true, pkg, m.Name())
			if fn, ok := obj.(*types.Func); ok {
				impls = append(impls, fn.Origin())
			}
		}
		yield(m, impls)
	})
}

// Agreed gives each method of an interface declared in pkg the fact its
// implementations in pkg (see Implementations) agree on: agree gets the
// facts of all of them, in scope order, and returns the agreed fact or ok
// false. A method with an implementation that has no fact in local gets none.
func Agreed[F comparable](pkg *types.Package, local map[*types.Func]F, agree func([]F) (F, bool)) map[*types.Func]F {
	out := map[*types.Func]F{}
	var zero F
	Implementations(pkg, func(m *types.Func, impls []*types.Func) {
		fs := make([]F, 0, len(impls))
		for _, fn := range impls {
			f := local[fn]
			if f == zero {
				return
			}
			fs = append(fs, f)
		}
		if f, ok := agree(fs); ok {
			out[m] = f
		}
	})
	return out
}
