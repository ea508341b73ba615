package facts_test

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/facts"
)

// named is a fact that says which function carries it.
type named struct{ Name string }

func (*named) AFact()           {}
func (f *named) String() string { return f.Name }

// names joins the names of fs.
func names(fs []*named) (*named, bool) {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return &named{strings.Join(out, " ")}, true
}

// ifaceFacts exports named on the methods of types whose name starts with
// Own, and reports what InterfaceFacts makes of each interface method the
// package declares under AllAgree and Some, and what Reachable resolves
// each interface call to.
var ifaceFacts = &analysis.Analyzer{
	Name:      "ifacefacts",
	Doc:       "test: reports InterfaceFacts and Reachable",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(named)},
	Run: func(pass *analysis.Pass) (any, error) {
		local := map[*types.Func]*named{}
		for _, name := range pass.Pkg.Scope().Names() {
			named_, ok := pass.Pkg.Scope().Lookup(name).Type().(*types.Named)
			if !ok || !strings.HasPrefix(name, "Own") {
				continue
			}
			for m := range named_.Methods() {
				local[m] = &named{pass.Pkg.Name() + "." + name + "." + m.Name()}
				pass.ExportObjectFact(m, local[m])
			}
		}
		table := facts.NewTable(pass, local)
		all := table.InterfaceFacts(facts.AllAgree(names))
		some := table.InterfaceFacts(facts.Some(names))
		facts.InterfaceMethods(pass.Pkg, func(m *types.Func, _ *types.Interface) {
			a := "none"
			if f := all[m]; f != nil {
				a = f.Name
			}
			s := "none"
			if f := some[m]; f != nil {
				s = f.Name
			}
			pass.Reportf(m.Pos(), "all: %s; some: %s", a, s)
		})
		for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if call, ok := instr.(*ssa.Call); ok && call.Common().IsInvoke() {
						var ns []string
						for _, m := range table.Reachable(call.Common()) {
							ns = append(ns, strings.NewReplacer("(", "", ")", "").Replace(m.FullName()))
						}
						pass.Reportf(call.Pos(), "reachable: %s", strings.Join(ns, " "))
					}
				}
			}
		}
		return nil, nil
	},
}

// TestInterfaceFacts: an interface method's fact is made, under the
// policy its pass names, of the implementations the package sees: its own
// (declared or promoted, never a function type's adapter method), and the
// imported ones that carry the fact. An interface call reaches the same
// kinds of implementation, with a fact or not.
func TestInterfaceFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ifaceFacts, "tdecl")
}
