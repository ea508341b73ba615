package analysistest

import (
	"fmt"
	"go/ast"
	"go/constant"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

type markedFact struct{}

func (*markedFact) AFact()         {}
func (*markedFact) String() string { return "marked" }

// marker reports every call of a function named mark with its constant
// argument, offers to append "-fixed" to it, and marks every exported
// function named Marked with a fact.
var marker = &analysis.Analyzer{
	Name:      "marker",
	Doc:       "reports calls of mark",
	FactTypes: []analysis.Fact{new(markedFact)},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					if n.Name.Name == "Marked" {
						pass.ExportObjectFact(pass.TypesInfo.Defs[n.Name], new(markedFact))
					}
				case *ast.CallExpr:
					id, ok := n.Fun.(*ast.Ident)
					if !ok || id.Name != "mark" || len(n.Args) != 1 {
						return true
					}
					tv := pass.TypesInfo.Types[n.Args[0]]
					if tv.Value == nil || tv.Value.Kind() != constant.String {
						return true
					}
					arg := n.Args[0]
					pass.Report(analysis.Diagnostic{
						Pos:     n.Pos(),
						Message: "mark " + constant.StringVal(tv.Value),
						SuggestedFixes: []analysis.SuggestedFix{{
							Message:   "append -fixed",
							TextEdits: []analysis.TextEdit{{Pos: arg.End() - 1, End: arg.End() - 1, NewText: []byte("-fixed")}},
						}},
					})
				}
				return true
			})
		}
		return nil, nil
	},
}

// recorder collects what the checks report.
type recorder struct{ errs []string }

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

func analyse(t *testing.T, pattern string) []*checker.Action {
	t.Helper()
	pkgs := Load(t, "testdata/expect", pattern)
	g, err := checker.Analyze([]*analysis.Analyzer{marker}, pkgs, &checker.Options{SanityCheck: true})
	require.NoError(t, err)
	require.NotEmpty(t, g.Roots)
	return g.Roots
}

// shortErrs drops the directory from the file names in errs.
func shortErrs(errs []string) []string {
	var out []string
	for _, e := range errs {
		if i := strings.Index(e, "testdata/expect/"); i >= 0 {
			e = e[i+len("testdata/expect/"):]
		}
		out = append(out, e)
	}
	return out
}

func TestExpectationsMet(t *testing.T) {
	for _, act := range analyse(t, "./good") {
		var r recorder
		checkExpectations(&r, act)
		assert.Empty(t, r.errs)
	}
}

func TestExpectationsNotMet(t *testing.T) {
	for _, act := range analyse(t, "./bad") {
		var r recorder
		checkExpectations(&r, act)
		assert.Equal(t, []string{
			"bad/bad.go:9:2: unexpected diagnostic: mark unexpected",
			`bad/bad.go:10:2: diagnostic "mark other" matches none of ` + "`mark something`",
			`bad/bad.go:6:6: fact of Marked "marked" matches none of ` + "`unmarked`",
			"bad/bad.go:10: no diagnostic matching `mark something`",
			"bad/bad.go:11: no diagnostic matching `mark never`",
			"bad/bad.go:6: no fact of Marked matching `unmarked`",
		}, shortErrs(r.errs))
	}
}

func TestGolden(t *testing.T) {
	for _, act := range analyse(t, "./fixgood") {
		var r recorder
		checkGolden(&r, act)
		assert.Empty(t, r.errs)
	}
	for _, act := range analyse(t, "./fixbad") {
		var r recorder
		checkGolden(&r, act)
		require.Len(t, r.errs, 1)
		assert.Contains(t, r.errs[0], "fix.go after its fixes differs from fix.go.golden")
	}
}

func TestParseWant(t *testing.T) {
	delta, exps, err := parseWant(` +2 "a" ` + "`b`" + ` Name:"c"`)
	require.NoError(t, err)
	assert.Equal(t, 2, delta)
	require.Len(t, exps, 3)
	assert.Equal(t, "a", exps[0].rx.String())
	assert.Equal(t, "b", exps[1].rx.String())
	assert.Equal(t, expectation{fact: "Name", rx: exps[2].rx}, exps[2])
	for _, bad := range []string{`"(" `, `Name "a"`, `+x`, `42`} {
		_, _, err := parseWant(bad)
		assert.Error(t, err, bad)
	}
}
