package facts_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/etcdlint/etcdlint/internal/facts"
)

// buildSSA builds src (package p) and returns its declared functions in
// source order, with their literals.
func buildSSA(t *testing.T, src string) (*types.Package, []*ssa.Function) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	require.NoError(t, err)
	pkg, info, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, ssa.BuilderMode(0))
	require.NoError(t, err)
	var funcs []*ssa.Function
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			fn := pkg.Prog.FuncValue(info.Defs[fd.Name].(*types.Func))
			funcs = append(funcs, fn)
			funcs = append(funcs, fn.AnonFuncs...)
		}
	}
	return pkg.Pkg, funcs
}

// depth is a fact: how many calls from a function named sink.
type depth struct{ n int }

func TestFixedPoint(t *testing.T) {
	// a calls b calls c calls sink: in source order each round learns one
	// more level.
	_, funcs := buildSSA(t, `package p
func a() { b(); func() { sink() }() }
func b() { c() }
func c() { sink() }
func sink() {}
func none() {}
func boom() {}
`)
	compute := func(local map[*types.Func]*depth) func(fn *ssa.Function) (*depth, bool) {
		return func(fn *ssa.Function) (*depth, bool) {
			switch fn.Name() {
			case "sink":
				return &depth{0}, true
			case "boom":
				panic("cannot handle")
			}
			best := -1
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok {
						continue
					}
					callee := call.Call.StaticCallee()
					if callee == nil || callee.Object() == nil {
						continue // the literal's body is not followed here
					}
					if d := local[callee.Object().(*types.Func)]; d != nil && (best < 0 || d.n+1 < best) {
						best = d.n + 1
					}
				}
			}
			return &depth{best}, best >= 0
		}
	}
	equal := func(old, new *depth) bool { return old.n == new.n }
	names := func(local map[*types.Func]*depth) map[string]int {
		out := map[string]int{}
		for fn, d := range local {
			out[fn.Name()] = d.n
		}
		return out
	}

	local := map[*types.Func]*depth{}
	facts.FixedPoint(funcs, local, 8, compute(local), equal)
	assert.Equal(t, map[string]int{"a": 3, "b": 2, "c": 1, "sink": 0}, names(local),
		"every level found; none has no fact; boom's panic is contained")

	bounded := map[*types.Func]*depth{}
	facts.FixedPoint(funcs, bounded, 2, compute(bounded), equal)
	assert.Equal(t, map[string]int{"c": 1, "sink": 0}, names(bounded),
		"the sink comes last in source order: two rounds reach one level above it")
}

func TestInterfaceMethods(t *testing.T) {
	pkg, _ := buildSSA(t, `package p
import "io"
type I interface{ M() }
type J interface {
	I
	io.Closer
	N()
}
type K = I
type S struct{}
func (S) M() {}
`)
	var got []string
	facts.InterfaceMethods(pkg, func(m *types.Func, iface *types.Interface) {
		for i := range iface.NumExplicitMethods() {
			if iface.ExplicitMethod(i) == m {
				got = append(got, m.Name())
				return
			}
		}
		t.Errorf("%s yielded with an interface that does not declare it", m.Name())
	})
	assert.Equal(t, []string{"M", "N"}, got,
		"I.M once (not again through J or the alias K), J.N; io.Closer's Close is not this package's")
}
