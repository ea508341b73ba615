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
