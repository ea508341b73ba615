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

// own is the fact a Table is asked about; other is another pass's.
type own struct{}

func (*own) AFact()         {}
func (*own) String() string { return "own" }

type other struct{}

func (*other) AFact() {}

// callees exports own on the functions and methods whose name or
// receiver's name starts with Own, other on those of types named Other,
// and reports at each call the callees its Table finds.
var callees = &analysis.Analyzer{
	Name:      "callees",
	Doc:       "test: reports what facts.Table resolves each call to",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(own), new(other)},
	Run: func(pass *analysis.Pass) (any, error) {
		local := map[*types.Func]*own{}
		for _, name := range pass.Pkg.Scope().Names() {
			obj := pass.Pkg.Scope().Lookup(name)
			var fns []*types.Func
			if fn, ok := obj.(*types.Func); ok {
				fns = append(fns, fn)
			} else if named, ok := obj.Type().(*types.Named); ok && !types.IsInterface(named) {
				for m := range named.Methods() {
					fns = append(fns, m)
				}
			}
			for _, fn := range fns {
				switch {
				case strings.HasPrefix(name, "Own"):
					local[fn] = new(own)
					pass.ExportObjectFact(fn, local[fn])
				case name == "Other":
					pass.ExportObjectFact(fn, new(other))
				}
			}
		}
		table := facts.NewTable(pass, local)
		for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok {
						continue
					}
					var names []string
					for _, c := range table.Callees(call.Common()) {
						if c.Fact == nil {
							pass.Reportf(call.Pos(), "nil fact for %s", c.Fn.FullName())
						}
						names = append(names, strings.TrimPrefix(c.Fn.FullName(), "("))
					}
					pass.Reportf(call.Pos(), "callees: %s", strings.ReplaceAll(strings.Join(names, " "), ")", ""))
				}
			}
		}
		return nil, nil
	},
}

// TestTable: an interface call resolves to the implementations that carry
// the table's own fact, here and in imported packages, and to none that
// carry only another fact or none; a static call to its callee when it
// carries the fact.
func TestTable(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), callees, "tcaller")
}
