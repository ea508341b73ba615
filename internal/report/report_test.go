package report_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/etcdlint/etcdlint/internal/report"
)

// marker reports every call of a function named mark, through report.
var marker = &analysis.Analyzer{
	Name:     "marker",
	Doc:      "marks calls of mark (test only)",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			if id, ok := n.(*ast.CallExpr).Fun.(*ast.Ident); ok && id.Name == "mark" {
				r.Reportf(n.Pos(), "marked")
			}
		})
		r.Finish()
		return nil, nil
	},
}

func TestDirectives(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), marker, "a")
}

// panicker panics while analysing every call of boom; Guard must turn that
// into a diagnostic and let the analysis of the rest go on.
var panicker = &analysis.Analyzer{
	Name:     "panicker",
	Doc:      "panics on calls of boom (test only)",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			id, ok := n.(*ast.CallExpr).Fun.(*ast.Ident)
			if !ok {
				return
			}
			r.Guard(n.Pos(), id.Name, func() {
				if id.Name == "boom" {
					panic("cannot analyse boom")
				}
				r.Reportf(n.Pos(), "visited %s", id.Name)
			})
		})
		r.Finish()
		return nil, nil
	},
}

func TestGuard(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), panicker, "b")
}
