package dataflow_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

const src = `package p

import (
	"bytes"
	"encoding/json"
	"fmt"
)

func sink(string) {}

func loops(xs []int) {
	sink("before")
	for _, x := range xs {
		sink(fmt.Sprint(x))
	}
	sink("after")
}

func roots(prefix, name string, m map[string]int) {
	sink(prefix + "/" + name)
	b, _ := json.Marshal(m)
	sink(string(b))
	var buf bytes.Buffer
	buf.WriteString(name)
	sink(buf.String())
	func() { sink(prefix) }()
	sink("/a" + "/b")
}

type A struct{}
type B struct{}

func asserts(x any) {
	if _, ok := x.(*A); ok {
		sink("a")
		return
	}
	sink("not a")
	if _, ok := x.(B); !ok {
		sink("not a, not b")
		return
	}
	sink("b")
	switch x.(type) {
	case int:
		sink("int")
	default:
		sink("default")
	}
	sink("joined")
}

func decode(b []byte) {
	var m map[string]int
	_ = json.Unmarshal(b, &m)
	sink(fmt.Sprint(m))
}
`

func build(t *testing.T) *ssa.Package {
	t.Helper()
	return buildFrom(t, src)
}

// buildFrom type-checks and builds package p from code.
func buildFrom(t *testing.T, code string) *ssa.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", code, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// sinkArgs returns the argument of every sink call in fn and its literals, in order.
func sinkArgs(fn *ssa.Function) []*ssa.Call {
	var out []*ssa.Call
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(*ssa.Call); ok {
					if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == "sink" {
						out = append(out, c)
					}
				}
			}
		}
		for _, anon := range f.AnonFuncs {
			visit(anon)
		}
	}
	visit(fn)
	return out
}

func TestLoops(t *testing.T) {
	fn := build(t).Func("loops")
	loops := dataflow.NewLoops(fn)
	var got []bool
	for _, c := range sinkArgs(fn) {
		got = append(got, loops.InLoop(c.Block()))
	}
	want := []bool{false, true, false}
	if len(got) != len(want) {
		t.Fatalf("found %d sink calls, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sink #%d in loop = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestRoots(t *testing.T) {
	fn := build(t).Func("roots")
	describe := func(v ssa.Value) string {
		var names []string
		dataflow.Roots(v, func(r ssa.Value) {
			switch r := r.(type) {
			case *ssa.Parameter:
				names = append(names, "param:"+r.Name())
			case *ssa.Const:
				names = append(names, "const")
			default:
				names = append(names, "other")
			}
		})
		sort.Strings(names)
		return strings.Join(uniq(names), ",")
	}
	// prefix is captured by a closure, so it lives in a heap cell (an
	// Alloc, reported as "other") that the parameter is stored into.
	// The closure's sink comes last: literals are visited after their parent.
	want := []string{
		"const,other,param:name,param:prefix", // prefix + "/" + name
		"param:m",                             // json.Marshal(m)
		"other,param:name",                    // a buffer written with name
		"const",                               // constants only
		"other,param:prefix",                  // a closure's free variable
	}
	calls := sinkArgs(fn)
	if len(calls) != len(want) {
		t.Fatalf("found %d sink calls, want %d", len(calls), len(want))
	}
	for i, c := range calls {
		if got := describe(c.Call.Args[0]); got != want[i] {
			t.Errorf("sink #%d roots = %s, want %s", i, got, want[i])
		}
	}
	if s, ok := dataflow.ConstString(calls[3].Call.Args[0]); !ok || s != "/a/b" {
		t.Errorf("ConstString = %q, %v; want \"/a/b\", true", s, ok)
	}
	if _, ok := dataflow.ConstString(calls[0].Call.Args[0]); ok {
		t.Error("ConstString of a parameter concatenation succeeded")
	}
}

func uniq(xs []string) []string {
	var out []string
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func TestNaturalLoops(t *testing.T) {
	fn := build(t).Func("loops")
	loops := dataflow.NaturalLoops(fn)
	if len(loops) != 1 {
		t.Fatalf("found %d natural loops, want 1", len(loops))
	}
	calls := sinkArgs(fn)
	for i, want := range []bool{false, true, false} {
		if got := len(dataflow.Enclosing(loops, calls[i].Block())) > 0; got != want {
			t.Errorf("sink #%d enclosed by a loop = %v, want %v", i, got, want)
		}
	}
}

func TestFailedAssertions(t *testing.T) {
	fn := build(t).Func("asserts")
	want := map[string]string{
		"a":            "",
		"not a":        "*p.A",
		"not a, not b": "*p.A,p.B",
		"b":            "*p.A",
		"int":          "*p.A",
		"default":      "*p.A,int",
		"joined":       "*p.A",
	}
	calls := sinkArgs(fn)
	if len(calls) != len(want) {
		t.Fatalf("found %d sink calls, want %d", len(calls), len(want))
	}
	for _, c := range calls {
		label, _ := dataflow.ConstString(c.Call.Args[0])
		var names []string
		for _, typ := range dataflow.FailedAssertions(c.Block()) {
			names = append(names, typ.String())
		}
		sort.Strings(names)
		if got := strings.Join(names, ","); got != want[label] {
			t.Errorf("at sink(%q): failed assertions %q, want %q", label, got, want[label])
		}
	}
}

func TestUnmarshal(t *testing.T) {
	fn := build(t).Func("decode")
	var found bool
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			data, dst, ok := dataflow.Unmarshal(&call.Call)
			if !ok {
				continue
			}
			found = true
			if p, ok := data.(*ssa.Parameter); !ok || p.Name() != "b" {
				t.Errorf("Unmarshal data = %v, want parameter b", data)
			}
			if mi, ok := dst.(*ssa.MakeInterface); !ok || mi.X.Type().String() != "*map[string]int" {
				t.Errorf("Unmarshal destination = %v, want &m", dst)
			}
		}
	}
	if !found {
		t.Error("json.Unmarshal not recognised")
	}
	for _, c := range sinkArgs(fn) {
		if _, _, ok := dataflow.Unmarshal(&c.Call); ok {
			t.Error("sink recognised as Unmarshal")
		}
	}
}
