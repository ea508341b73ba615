package facts_test

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/internal/facts"
)

// mark is the fact of a function that is, or calls, a function named Mark*.
type mark struct{}

func (*mark) AFact() {}

type call struct {
	pos token.Pos
	fn  *types.Func
}

// calls returns the calls of named functions in decl.
func calledFuncs(pass *analysis.Pass, decl *ast.FuncDecl) []call {
	var out []call
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if ce, ok := n.(*ast.CallExpr); ok {
			var id *ast.Ident
			switch fun := ce.Fun.(type) {
			case *ast.Ident:
				id = fun
			case *ast.SelectorExpr:
				id = fun.Sel
			}
			if fn, ok := pass.TypesInfo.Uses[id].(*types.Func); id != nil && ok {
				out = append(out, call{ce.Pos(), fn})
			}
		}
		return true
	})
	return out
}

// marks exports mark on Mark* functions and on those that call a marked one.
var marks = &analysis.Analyzer{
	Name:      "marks",
	Doc:       "test stage: marks functions",
	FactTypes: []analysis.Fact{new(mark)},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				decl, ok := d.(*ast.FuncDecl)
				if !ok {
					continue
				}
				fn := pass.TypesInfo.Defs[decl.Name].(*types.Func)
				marked := strings.HasPrefix(fn.Name(), "Mark")
				for _, c := range calledFuncs(pass, decl) {
					marked = marked || pass.ImportObjectFact(c.fn, new(mark))
				}
				if marked {
					pass.ExportObjectFact(fn, new(mark))
				}
			}
		}
		return nil, nil
	},
}

// reportCalls reports calls of marked functions of other packages and
// returns how many it reported.
func reportCalls(pass *analysis.Pass) int {
	n := 0
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if decl, ok := d.(*ast.FuncDecl); ok {
				for _, c := range calledFuncs(pass, decl) {
					if c.fn.Pkg() != pass.Pkg && pass.ImportObjectFact(c.fn, new(mark)) {
						pass.Reportf(c.pos, "call of marked %s.%s", c.fn.Pkg().Name(), c.fn.Name())
						n++
					}
				}
			}
		}
	}
	return n
}

// callsStage is a stage that reports calls of marked functions and
// returns how many it reported.
var callsStage = &analysis.Analyzer{
	Name:       "callstage",
	Doc:        "test stage: reports calls of marked functions",
	Requires:   []*analysis.Analyzer{marks},
	ResultType: reflect.TypeFor[int](),
	Run:        func(pass *analysis.Pass) (any, error) { return reportCalls(pass), nil },
}

// count is the package fact of callsPass: how many calls it reported.
type count struct{ N int }

func (*count) AFact() {}

// callsPass declares facts, so its Run is a stage: it reports calls of
// marked functions and exports their count.
var callsPass = facts.NewPass(facts.Spec{
	Name:      "calls",
	Doc:       "reports calls of marked functions",
	Requires:  []*analysis.Analyzer{marks},
	FactTypes: []analysis.Fact{new(count)},
	Run: func(pass *analysis.Pass) (any, error) {
		pass.ExportPackageFact(&count{reportCalls(pass)})
		return nil, nil
	},
})

// counter declares no facts: it reads callsStage's result.
var counter = facts.NewPass(facts.Spec{
	Name:     "counter",
	Doc:      "reports callsStage's count",
	Requires: []*analysis.Analyzer{callsStage},
	Run: func(pass *analysis.Pass) (any, error) {
		pass.Reportf(pass.Files[0].Package, "%d calls", pass.ResultOf[callsStage].(int))
		return nil, nil
	},
})

// failing is a stage that fails, dependent one that requires it, and
// readDependent a pass that reads dependent.
var (
	errFailing = errors.New("failing stage")
	failing    = &analysis.Analyzer{Name: "failing", Doc: "test stage: fails",
		Run: func(*analysis.Pass) (any, error) { return nil, errFailing }}
	dependent = &analysis.Analyzer{Name: "dependent", Doc: "test stage: requires failing", Requires: []*analysis.Analyzer{failing},
		Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	readDependent = reader(dependent)
)

// reader returns a pass that reads stage's result and reports nothing. It
// runs despite errors, so that a skip on ill-typed code is etcdfacts's,
// not the driver's.
func reader(stage *analysis.Analyzer) *analysis.Analyzer {
	return facts.NewPass(facts.Spec{
		Name:             "read" + stage.Name,
		Doc:              "reads a stage's result",
		Requires:         []*analysis.Analyzer{stage},
		RunDespiteErrors: true,
		Run:              func(*analysis.Pass) (any, error) { return nil, nil },
	})
}

var readMarks, readCalls = reader(marks), reader(callsStage)

// TestPass: the stage's facts cross from a to b as etcdfacts's facts, and
// the pass reports in b what the stage found there.
func TestPass(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), callsPass, "b")
	stage := facts.StageOf(callsPass)
	require.NotNil(t, stage)
	assert.Equal(t, "calls", stage.Name)
	assert.Equal(t, []*analysis.Analyzer{marks}, stage.Requires)
	assert.Nil(t, facts.StageOf(counter))
	assert.Equal(t, []*analysis.Analyzer{facts.Analyzer}, callsPass.Requires)
	assert.Equal(t, []*analysis.Analyzer{facts.Analyzer}, counter.Requires)
	for _, f := range []analysis.Fact{new(mark), new(count)} {
		assert.Contains(t, facts.Analyzer.FactTypes, f, "a stage's fact types are etcdfacts's")
	}
}

// TestOnlyOneFactAnalyzer: a driver running the pass schedules one analyzer
// on the dependencies (etcdfacts), not one per stage, and the pass itself
// only on the packages analysed.
func TestOnlyOneFactAnalyzer(t *testing.T) {
	pkgs := load(t, "b")
	g, err := checker.Analyze([]*analysis.Analyzer{callsPass, counter}, pkgs, nil)
	require.NoError(t, err)
	onDeps := map[string]bool{}
	for act := range g.All() {
		if act.Package.PkgPath != "b" {
			onDeps[act.Analyzer.Name] = true
		}
	}
	assert.Equal(t, map[string]bool{"etcdfacts": true}, onDeps)
	var got []string
	for _, act := range g.Roots {
		require.NoError(t, act.Err)
		for _, d := range act.Diagnostics {
			got = append(got, act.Analyzer.Name+": "+d.Message)
		}
	}
	assert.ElementsMatch(t, []string{"calls: call of marked a.Wrapper", "calls: call of marked a.MarkRoot", "counter: 2 calls"}, got)
}

// TestStageErrors: a stage's error is the error of the stages that require
// it, and of a pass that reads them; the other stages still run.
func TestStageErrors(t *testing.T) {
	pkgs := load(t, "b")
	g, err := checker.Analyze([]*analysis.Analyzer{readDependent, callsPass}, pkgs, nil)
	require.NoError(t, err)
	for _, act := range g.Roots {
		switch act.Analyzer {
		case readDependent:
			require.Error(t, act.Err)
			assert.Contains(t, act.Err.Error(), "failed prerequisites: [failing]")
		case callsPass:
			assert.NoError(t, act.Err)
			assert.Len(t, act.Diagnostics, 2)
		}
	}
}

// TestIllTyped: on a package with type errors a stage that does not run
// despite errors is skipped with the drivers' error, and a stage that
// requires it fails with it.
func TestIllTyped(t *testing.T) {
	pkgs := load(t, "broken")
	g, err := checker.Analyze([]*analysis.Analyzer{readMarks, readCalls}, pkgs, nil)
	require.NoError(t, err)
	require.Len(t, g.Roots, 2)
	require.Error(t, g.Roots[0].Err)
	assert.Contains(t, g.Roots[0].Err.Error(), "analysis skipped due to errors in package")
	require.Error(t, g.Roots[1].Err)
	assert.Contains(t, g.Roots[1].Err.Error(), "failed prerequisites: [marks]")
}

func load(t *testing.T, patterns ...string) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  analysistest.TestData(),
		Env:  append(os.Environ(), "GOPATH="+analysistest.TestData(), "GO111MODULE=off", "GOPROXY=off"),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	require.NoError(t, err)
	return pkgs
}

// TestDeclareAfterRun: once etcdfacts has run, drivers have read its fact
// types, so declaring a pass with a new stage then is a programming error.
func TestDeclareAfterRun(t *testing.T) {
	pkgs := load(t, "b")
	_, err := checker.Analyze([]*analysis.Analyzer{callsPass}, pkgs, nil)
	require.NoError(t, err)
	late := &analysis.Analyzer{Name: "late", Doc: "declared too late", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	assert.PanicsWithValue(t, "facts: stage late declared after etcdfacts has run; declare passes in package-level variables",
		func() { reader(late) })
}

// TestSelect: a driver that runs counter alone runs the stages counter
// reads and nothing of callsPass's; callsPass, run anyway, fails instead
// of reporting nothing.
func TestSelect(t *testing.T) {
	pkgs := load(t, "b")
	var mu sync.Mutex
	runs := map[string]int{}
	facts.OnStage = func(st *analysis.Analyzer, _ *types.Package) {
		mu.Lock()
		defer mu.Unlock()
		runs[st.Name]++
	}
	t.Cleanup(func() {
		facts.OnStage = nil
		facts.Select([]*analysis.Analyzer{callsPass, counter, readDependent, readMarks, readCalls})
	})
	facts.Select([]*analysis.Analyzer{counter})
	g, err := checker.Analyze([]*analysis.Analyzer{counter, callsPass}, pkgs, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"marks": 2, "callstage": 2}, runs, "stage runs on a and b")
	for _, act := range g.Roots {
		switch act.Analyzer {
		case counter:
			require.NoError(t, act.Err)
			require.Len(t, act.Diagnostics, 1)
			assert.Equal(t, "2 calls", act.Diagnostics[0].Message)
		case callsPass:
			require.Error(t, act.Err)
			assert.Contains(t, act.Err.Error(), "stage calls did not run")
		}
	}
}
