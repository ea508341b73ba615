package facts

import (
	"cmp"
	"fmt"
	"go/token"
	"go/types"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// Methods that an importer cannot see, under go vet.
//
// x/tools' in-process driver gives a package the facts of every package it
// imports, directly or not, on objects type-checked from source: a Table's
// candidates for an interface call are every method with a fact in the
// package's dependencies. Under go vet each package is analysed in a
// process of its own, its dependencies read from the compiler's export
// data, and a fact reaches it only if the object it is about is in that
// export data. A package P that keeps its implementation in a type no
// importer's export data mentions (an unexported type, or an exported one
// that P's API never names, returned as an interface by a constructor) has
// its methods' facts dropped as they are read by the packages that import
// P's importers: an interface call there finds no implementation.
//
// So, in go vet's unit mode (SeparateUnits), etcdfacts exports a package
// fact, Hidden, that lists the methods with facts of the package's concrete
// types and of its dependencies' (merged from its direct imports' Hidden
// facts), each with its receiver type's method set written out, so that an
// importer can tell whether the type implements an interface without the
// type itself. A Table adds those whose objects the importer cannot see to
// its candidates, as methods of stand-in types of the same name.

// separate is set in go vet's unit mode.
var separate atomic.Bool

// SeparateUnits tells etcdfacts that each package is analysed in a process
// of its own on what its direct imports' processes encoded (go vet's unit
// protocol): it then exports Hidden, and Tables read it. Call it before the
// driver starts.
func SeparateUnits() { separate.Store(true) }

// Hidden is etcdfacts's package fact in go vet's unit mode: the methods with
// facts of the concrete types of the package and of its dependencies.
type Hidden struct {
	Types []HiddenType
}

func (*Hidden) AFact() {}

func (h *Hidden) String() string {
	var names []string
	for _, t := range h.Types {
		names = append(names, t.Pkg+"."+t.Name)
	}
	return "hidden(" + strings.Join(names, ", ") + ")"
}

// HiddenType is a concrete type with methods that carry facts.
type HiddenType struct {
	Pkg, PkgName, Name string
	// MethodSet is the method set of a pointer to the type, each method a
	// hash of its name and signature (methodKey), sorted.
	MethodSet []uint64
	Methods   []HiddenMethod
}

// HiddenMethod is a method declared on the type, with one fact.
type HiddenMethod struct {
	Name string
	Ptr  bool // a pointer receiver
	// Order is the method's rank in its package's source (by file, then
	// offset), so that candidates sort as their objects would; a rank, not
	// a position, so that an edit that moves code leaves the fact (and go
	// vet's keys of the importers) as it was.
	Order int
	Fact  analysis.Fact
}

// exportHidden exports pass's Hidden fact: its own concrete methods' facts
// and those of its direct imports' Hidden facts.
func exportHidden(pass *analysis.Pass) {
	byType := map[string]*HiddenType{}
	key := func(pkg, name string) string { return pkg + "\x00" + name }
	for _, imp := range pass.Pkg.Imports() {
		var h Hidden
		if !pass.ImportPackageFact(imp, &h) {
			continue
		}
		for _, t := range h.Types {
			if _, ok := byType[key(t.Pkg, t.Name)]; !ok {
				byType[key(t.Pkg, t.Name)] = &t
			}
		}
	}
	type own struct {
		t      *HiddenType
		m      HiddenMethod
		file   string
		offset int
	}
	var owns []own
	for _, of := range pass.AllObjectFacts() {
		fn, ok := of.Object.(*types.Func)
		if !ok || fn.Pkg() != pass.Pkg || fn.Signature().Recv() == nil {
			continue
		}
		recv := fn.Signature().Recv().Type()
		ptr := false
		if p, ok := recv.(*types.Pointer); ok {
			recv, ptr = p.Elem(), true
		}
		named, ok := recv.(*types.Named)
		if !ok || types.IsInterface(named) || named.TypeParams().Len() > 0 || named.Obj().Parent() != pass.Pkg.Scope() {
			continue
		}
		k := key(pass.Pkg.Path(), named.Obj().Name())
		t := byType[k]
		if t == nil {
			t = &HiddenType{Pkg: pass.Pkg.Path(), PkgName: pass.Pkg.Name(), Name: named.Obj().Name(), MethodSet: methodSet(named)}
			byType[k] = t
		}
		pos := pass.Fset.Position(fn.Pos())
		owns = append(owns, own{t, HiddenMethod{Name: fn.Name(), Ptr: ptr, Fact: of.Fact}, pos.Filename, pos.Offset})
	}
	if len(byType) == 0 {
		return
	}
	slices.SortFunc(owns, func(a, b own) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.offset, b.offset), cmp.Compare(factName(a.m.Fact), factName(b.m.Fact)))
	})
	for i, o := range owns {
		if i > 0 && (o.file != owns[i-1].file || o.offset != owns[i-1].offset) {
			o.m.Order = owns[i-1].m.Order + 1
		} else if i > 0 {
			o.m.Order = owns[i-1].m.Order
		}
		owns[i] = o
		o.t.Methods = append(o.t.Methods, o.m)
	}
	h := &Hidden{}
	for _, t := range byType {
		h.Types = append(h.Types, *t)
	}
	slices.SortFunc(h.Types, func(a, b HiddenType) int { return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Name, b.Name)) })
	pass.ExportPackageFact(h)
}

func factName(f analysis.Fact) string { return reflect.TypeOf(f).String() }

// methodSet writes out the method set of *named (see HiddenType).
func methodSet(named *types.Named) []uint64 {
	ms := types.NewMethodSet(types.NewPointer(named))
	out := make([]uint64, 0, ms.Len())
	for sel := range ms.Methods() {
		out = append(out, methodKey(sel.Obj().Name(), sel.Type()))
	}
	slices.Sort(out)
	return out
}

// methodKey is a hash of a method's name and signature, the same for
// identical methods whether their types come from source or from export
// data (see typeKey).
func methodKey(name string, sig types.Type) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name + " " + typeKey(sig)))
	return h.Sum64()
}

// typeKey writes t so that identical types read the same whether they come
// from source or from export data: package paths in full, no parameter
// names, aliases resolved.
func typeKey(t types.Type) string {
	var b strings.Builder
	writeTypeKey(&b, t, 0)
	return b.String()
}

func writeTypeKey(b *strings.Builder, t types.Type, depth int) {
	if depth > 16 {
		b.WriteString("…")
		return
	}
	d := depth + 1
	list := func(n int, at func(i int) types.Type) {
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			writeTypeKey(b, at(i), d)
		}
	}
	switch t := types.Unalias(t).(type) {
	case *types.Basic:
		b.WriteString(t.Name())
	case *types.Named:
		if t.Obj().Pkg() != nil {
			b.WriteString(t.Obj().Pkg().Path() + ".")
		}
		b.WriteString(t.Obj().Name())
		if args := t.TypeArgs(); args.Len() > 0 {
			b.WriteByte('[')
			list(args.Len(), func(i int) types.Type { return args.At(i) })
			b.WriteByte(']')
		}
	case *types.TypeParam:
		b.WriteString(t.Obj().Name())
	case *types.Pointer:
		b.WriteByte('*')
		writeTypeKey(b, t.Elem(), d)
	case *types.Slice:
		b.WriteString("[]")
		writeTypeKey(b, t.Elem(), d)
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		writeTypeKey(b, t.Elem(), d)
	case *types.Map:
		b.WriteString("map[")
		writeTypeKey(b, t.Key(), d)
		b.WriteByte(']')
		writeTypeKey(b, t.Elem(), d)
	case *types.Chan:
		fmt.Fprintf(b, "chan(%d) ", t.Dir())
		writeTypeKey(b, t.Elem(), d)
	case *types.Signature:
		b.WriteString("func(")
		list(t.Params().Len(), func(i int) types.Type { return t.Params().At(i).Type() })
		if t.Variadic() {
			b.WriteString("...")
		}
		b.WriteString(")(")
		list(t.Results().Len(), func(i int) types.Type { return t.Results().At(i).Type() })
		b.WriteByte(')')
	case *types.Struct:
		b.WriteString("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			if i > 0 {
				b.WriteByte(';')
			}
			if f.Embedded() {
				b.WriteString("_ ")
			} else {
				b.WriteString(f.Name() + " ")
			}
			writeTypeKey(b, f.Type(), d)
		}
		b.WriteByte('}')
	case *types.Interface:
		var ms []string
		for m := range t.Methods() {
			ms = append(ms, m.Name()+" "+typeKey(m.Type()))
		}
		slices.Sort(ms)
		b.WriteString("interface{" + strings.Join(ms, ";") + "}")
	case *types.Union:
		for i := range t.Len() {
			if i > 0 {
				b.WriteByte('|')
			}
			if t.Term(i).Tilde() {
				b.WriteByte('~')
			}
			writeTypeKey(b, t.Term(i).Type(), d)
		}
	default:
		b.WriteString(types.TypeString(t, func(p *types.Package) string { return p.Path() }))
	}
}

// hiddenView is what one package's Tables add from the Hidden facts of its
// direct imports: stand-ins for the methods whose objects the package does
// not see, each with its facts, shared by every Table of the package so
// that a stand-in one Table returns is known to the others.
type hiddenView struct {
	methods map[string][]*hiddenMethod // by method name
	facts   map[*types.Func][]analysis.Fact
}

type hiddenMethod struct {
	fn        *types.Func
	methodSet []uint64 // sorted
	order     int
}

var hiddenViews sync.Map // *types.Package → *hiddenView (one package per go vet process)

// hiddenOf returns the view of pass's package; nil outside go vet's unit
// mode.
func hiddenOf(pass *analysis.Pass) *hiddenView {
	if !separate.Load() {
		return nil
	}
	if v, ok := hiddenViews.Load(pass.Pkg); ok {
		return v.(*hiddenView)
	}
	v, _ := hiddenViews.LoadOrStore(pass.Pkg, newHiddenView(pass))
	return v.(*hiddenView)
}

func newHiddenView(pass *analysis.Pass) *hiddenView {
	v := &hiddenView{methods: map[string][]*hiddenMethod{}, facts: map[*types.Func][]analysis.Fact{}}
	seen := map[string]bool{}
	pkgs := viewPackages(pass.Pkg)
	for _, imp := range pass.Pkg.Imports() {
		var h Hidden
		if !pass.ImportPackageFact(imp, &h) {
			continue
		}
		for _, t := range h.Types {
			if t.Pkg == pass.Pkg.Path() || seen[t.Pkg+"."+t.Name] {
				continue
			}
			seen[t.Pkg+"."+t.Name] = true
			pkg := pkgs[t.Pkg]
			if pkg != nil {
				if tn, ok := pkg.Scope().Lookup(t.Name).(*types.TypeName); ok && !tn.IsAlias() {
					continue // the package sees the type, and the facts of its methods
				}
			} else {
				pkg = types.NewPackage(t.Pkg, t.PkgName)
				pkgs[t.Pkg] = pkg
			}
			named := types.NewNamed(types.NewTypeName(token.NoPos, pkg, t.Name, nil), types.NewStruct(nil, nil), nil)
			byName := map[string]*hiddenMethod{}
			for _, m := range t.Methods {
				hm := byName[m.Name]
				if hm == nil {
					var recv types.Type = named
					if m.Ptr {
						recv = types.NewPointer(named)
					}
					sig := types.NewSignatureType(types.NewVar(token.NoPos, pkg, "", recv), nil, nil, nil, nil, false)
					hm = &hiddenMethod{fn: types.NewFunc(token.NoPos, pkg, m.Name, sig), methodSet: t.MethodSet, order: m.Order}
					byName[m.Name] = hm
					v.methods[m.Name] = append(v.methods[m.Name], hm)
				}
				v.facts[hm.fn] = append(v.facts[hm.fn], m.Fact)
			}
		}
	}
	return v
}

// viewPackages returns the packages pkg sees, directly or not, by path.
func viewPackages(pkg *types.Package) map[string]*types.Package {
	out := map[string]*types.Package{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if out[p.Path()] != nil {
			return
		}
		out[p.Path()] = p
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	visit(pkg)
	return out
}

// implementations returns the stand-ins named name whose type implements
// iface, with a fact for which has is true, in the order of their packages
// and source.
func (v *hiddenView) implementations(iface *types.Interface, name string, has func(analysis.Fact) bool) []*types.Func {
	if v == nil || iface.NumMethods() == 0 {
		return nil
	}
	var want []uint64
	for m := range iface.Methods() {
		want = append(want, methodKey(m.Name(), m.Type()))
	}
	var found []*hiddenMethod
	for _, hm := range v.methods[name] {
		if !slices.ContainsFunc(v.facts[hm.fn], has) {
			continue
		}
		ok := true
		for _, w := range want {
			if _, in := slices.BinarySearch(hm.methodSet, w); !in {
				ok = false
				break
			}
		}
		if ok {
			found = append(found, hm)
		}
	}
	slices.SortFunc(found, func(a, b *hiddenMethod) int {
		return cmp.Or(cmp.Compare(a.fn.Pkg().Path(), b.fn.Pkg().Path()), cmp.Compare(a.order, b.order))
	})
	out := make([]*types.Func, len(found))
	for i, hm := range found {
		out[i] = hm.fn
	}
	return out
}

// fact returns the stand-in fn's fact for which has is true.
func (v *hiddenView) fact(fn *types.Func, has func(analysis.Fact) bool) analysis.Fact {
	if v == nil {
		return nil
	}
	for _, f := range v.facts[fn] {
		if has(f) {
			return f
		}
	}
	return nil
}

func isFact[F analysis.Fact](f analysis.Fact) bool {
	_, ok := f.(F)
	return ok
}

// withHidden adds to methods, in the order of a Table's candidates
// (package path first), the stand-ins hidden for methods the package does
// not see.
func withHidden(methods, hidden []*types.Func) []*types.Func {
	if len(hidden) == 0 {
		return methods
	}
	out := append(slices.Clip(methods), hidden...)
	slices.SortStableFunc(out, func(a, b *types.Func) int { return cmp.Compare(a.Pkg().Path(), b.Pkg().Path()) })
	return out
}

func init() { Analyzer.FactTypes = append(Analyzer.FactTypes, new(Hidden)) }
