// Package etcdssa builds SSA for a package only when the package can reach
// etcd, the way go vet's passes return early when a package does not import
// the package they check, but transitively: through wrappers in other packages.
//
// Two facts carry reachability across packages:
//   - Reaches (package fact): the package imports an etcd API package, or a
//     package that Reaches.
//   - Touches (object fact on a function or method): its body uses etcd's API
//     or calls a function that Touches, directly or through an interface
//     method one of whose visible implementations Touches.
//
// SSA is built only for a package that has at least one touching function;
// every other package costs one walk over its imports (and, when it reaches
// etcd, one walk over its identifiers). In a package that gets SSA, only the
// touching functions, the init functions and what they refer to get bodies
// (see bodies.go).
package etcdssa

import (
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
	"github.com/etcdlint/etcdlint/internal/facts"
)

// Reaches is the package fact: this package can reach etcd.
type Reaches struct{}

func (*Reaches) AFact()         {}
func (*Reaches) String() string { return "reaches etcd" }

// Touches is the object fact on a function or method whose body can reach etcd.
type Touches struct{}

func (*Touches) AFact()         {}
func (*Touches) String() string { return "touches etcd" }

// Result is what passes get from Analyzer.
type Result struct {
	// Pkg is the package's SSA, nil when no function touches etcd.
	Pkg *ssa.Package
	// Funcs are the source functions that touch etcd, with their function
	// literals, in source order.
	Funcs []*ssa.Function

	touching map[*types.Func]bool
}

// Touching reports whether the declared function or method fn (of this
// package) touches etcd.
func (r *Result) Touching(fn *types.Func) bool { return r.touching[fn] }

var Analyzer = &analysis.Analyzer{
	Name:             "etcdssa",
	Doc:              "builds SSA for the functions that can reach etcd",
	URL:              "https://pkg.go.dev/github.com/etcdlint/etcdlint/internal/etcdssa",
	Run:              run,
	RunDespiteErrors: true,
	FactTypes:        []analysis.Fact{new(Reaches), new(Touches)},
	ResultType:       reflect.TypeFor[*Result](),
}

// debugSSA makes the analyzer print one line per package that got SSA, so
// that benchmarks and tests can count them (ETCDLINT_DEBUG=ssa).
var debugSSA = strings.Contains(os.Getenv("ETCDLINT_DEBUG"), "ssa")

func run(pass *analysis.Pass) (any, error) {
	res := &Result{touching: map[*types.Func]bool{}}
	reach := reaches(pass)
	if reach {
		pass.ExportPackageFact(new(Reaches))
	} else if !facts.WholeProgram() {
		// In whole-program mode a package can reach etcd through an
		// interface implemented in a package it does not import; the
		// touching walk below finds out.
		return res, nil
	}
	// etcd's own API packages are modelled by etcdapi, not summarised.
	if etcdapi.IsAPIPackage(pass.Pkg.Path()) {
		return res, nil
	}
	decls, uses := touchingDecls(pass, res, reach)
	if len(decls) == 0 {
		return res, nil
	}
	if len(pass.TypeErrors) > 0 {
		// The SSA builder assumes well-typed code; a package with type
		// errors keeps its facts but gets no SSA, so no pass analyses it.
		return res, nil
	}
	if debugSSA {
		fmt.Fprintf(os.Stderr, "etcdlint: ssa: %s\n", pass.Pkg.Path())
	}
	ssapkg, shared := build(pass, withBodies(pass, decls, uses))
	if ssapkg == nil {
		return res, nil
	}
	shared.mu.RLock()
	defer shared.mu.RUnlock()
	for _, d := range decls {
		fn := shared.prog.FuncValue(d)
		if fn == nil {
			continue
		}
		var add func(f *ssa.Function)
		add = func(f *ssa.Function) {
			res.Funcs = append(res.Funcs, f)
			for _, anon := range f.AnonFuncs {
				add(anon)
			}
		}
		add(fn)
	}
	res.Pkg = ssapkg
	return res, nil
}

func reaches(pass *analysis.Pass) bool {
	if etcdapi.IsAPIPackage(pass.Pkg.Path()) {
		return true
	}
	for _, imp := range pass.Pkg.Imports() {
		if etcdapi.IsAPIPackage(imp.Path()) || pass.ImportPackageFact(imp, new(Reaches)) {
			return true
		}
	}
	return false
}

// touchingDecls computes, to a fixed point, which functions and methods
// declared in this package touch etcd, exports Touches for them (and for
// interface methods of this package with a touching implementation), and
// returns them in source order, with the objects each function declared in
// the package uses.
func touchingDecls(pass *analysis.Pass, res *Result, reach bool) ([]*types.Func, map[*types.Func][]types.Object) {
	// The Touches facts: this package's as the fixed point proceeds, its
	// dependencies' and, in whole-program mode, the program's.
	local := map[*types.Func]*Touches{}
	table := facts.NewTable(pass, local)
	touchesObj := func(obj types.Object) bool {
		if obj.Pkg() == nil {
			return false
		}
		if etcdapi.IsAPIPackage(obj.Pkg().Path()) {
			return true
		}
		if v, ok := obj.(*types.Var); ok {
			// A function-valued variable or field: in whole-program mode,
			// what the program stores into it.
			for _, fn := range facts.FuncValues(v) {
				if table.Of(fn) != nil {
					return true
				}
			}
			return false
		}
		fn, ok := obj.(*types.Func)
		if !ok {
			return false
		}
		if table.Of(fn) != nil {
			return true
		}
		// Policy: any. An interface method touches etcd when one of the
		// implementations the analysis sees does: SSA must be built for a
		// caller that may reach etcd through any of them.
		if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
			for _, impl := range table.Implementations(recv.Type(), fn.Name()) {
				if table.Of(impl) != nil {
					return true
				}
			}
		}
		return false
	}
	// Interface methods declared here with a touching implementation this
	// package sees. Policy: any (facts.Some), as for calls above.
	exportInterfaceMethods := func() {
		facts.Export(pass, table.InterfaceFacts(facts.Some(func([]*Touches) (*Touches, bool) {
			return new(Touches), true
		})), nil)
	}
	// A package that does not reach etcd through its imports is walked
	// only in whole-program mode, and most such packages touch nothing: no
	// declaration touches etcd unless one of the objects the package uses
	// does, so one look at each used object settles it before the
	// per-declaration walk.
	if !reach && !usesTouching(pass, touchesObj) {
		exportInterfaceMethods()
		return nil, nil
	}

	type declInfo struct {
		fn   *types.Func
		uses []types.Object
	}
	var decls []declInfo
	seen := map[types.Object]bool{} // per declaration; one map, cleared
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			var uses []types.Object
			clear(seen)
			ast.Inspect(fd, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if obj := pass.TypesInfo.Uses[id]; obj != nil && !seen[obj] {
						seen[obj] = true
						uses = append(uses, obj)
					}
				}
				return true
			})
			decls = append(decls, declInfo{fn, uses})
		}
	}

	// A function touches etcd once one of its uses does; it then stays so.
	// Each round but the last finds one more, so len(decls)+1 rounds reach
	// the fixed point.
	facts.Rounds(decls, func(d declInfo) *types.Func { return d.fn }, local, len(decls)+1, func(d declInfo) (*Touches, bool, bool) {
		if local[d.fn] != nil {
			return nil, false, false
		}
		if slices.ContainsFunc(d.uses, touchesObj) {
			return new(Touches), true, false
		}
		return nil, false, true
	}, func(_, _ *Touches) bool { return true })
	for fn := range local {
		res.touching[fn] = true
	}

	var out []*types.Func
	uses := make(map[*types.Func][]types.Object, len(decls))
	for _, d := range decls {
		uses[d.fn] = d.uses
		if res.touching[d.fn] {
			out = append(out, d.fn)
		}
	}
	facts.Export(pass, local, nil)
	exportInterfaceMethods()
	return out, uses
}

// usesTouching reports whether any object the package uses touches etcd.
func usesTouching(pass *analysis.Pass, touches func(types.Object) bool) bool {
	seen := map[types.Object]bool{}
	for _, obj := range pass.TypesInfo.Uses {
		if !seen[obj] {
			seen[obj] = true
			if touches(obj) {
				return true
			}
		}
	}
	return false
}
