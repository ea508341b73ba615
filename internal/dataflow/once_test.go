package dataflow_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

const onceSrc = `package main

type runner interface{ run() }

type job struct{}

func (job) run()  {}
func (job) step() {}

func main() {
	setup()
	for i := 0; i < 3; i++ {
		perItem()
	}
	go background()
	defer func() { cleanup() }()
	job{}.step()
	var r runner = job{}
	r.run()
	recurse(3)
	twice()
	twice()
	Exported()
	f := later
	f()
}

func setup()      { nested() }
func nested()     {}
func perItem()    {}
func background() {}
func cleanup()    {}
func twice()      {}
func later()      {}
func recurse(n int) {
	if n > 0 {
		recurse(n - 1)
	}
}

func Exported() {}

func library() { setup2() }
func setup2()  {}
`

// TestOnce: main and what it alone calls once, outside loops, run once
// per process; what a loop calls, what is called through an interface,
// recursively, from a function that runs many times, exported or as a
// value does not. Two calls outside loops are still once each: twice
// runs twice per process, which the rule counts as once (each call is a
// static call outside loops), since a fixed number of runs leaks a fixed
// number of resources.
func TestOnce(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", onceSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{},
		Instances: map[*ast.Ident]types.Instance{}, FileVersions: map[*ast.File]string{},
	}
	files := []*ast.File{f}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("main", fset, files, info)
	if err != nil {
		t.Fatal(err)
	}
	prog := ssa.NewProgram(fset, 0)
	sp := prog.CreatePackage(pkg, files, info, true)
	sp.Build()
	once := dataflow.NewOnce(files, info)
	var got []string
	for _, m := range sp.Members {
		fn, ok := m.(*ssa.Function)
		if !ok {
			continue
		}
		if once.Runs(fn) {
			got = append(got, fn.Name())
		}
		for _, anon := range fn.AnonFuncs {
			if once.Runs(anon) {
				got = append(got, anon.Name())
			}
		}
	}
	sort.Strings(got)
	want := []string{"background", "cleanup", "main", "main$1", "nested", "setup", "twice"}
	if len(got) != len(want) {
		t.Fatalf("once = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("once = %v, want %v", got, want)
		}
	}
	for _, name := range []string{"step", "run"} {
		m := prog.MethodValue(prog.MethodSets.MethodSet(pkg.Scope().Lookup("job").Type()).Lookup(pkg, name))
		if got := once.Runs(m); got != (name == "step") {
			t.Errorf("Runs(job.%s) = %v", name, got)
		}
	}
}
