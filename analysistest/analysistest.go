// Package analysistest runs etcdlint's analyzers on fixture modules that
// type-check against real etcd releases.
//
// A fixture is a directory with its own go.mod and committed go.sum, pinned to
// one etcd line (the templates are in eras/: v36 = client/server v3.6, v35 =
// v3.5, v34 = the 3.4 module go.etcd.io/etcd, v33 = github.com/coreos/etcd
// 3.3). x/tools' analysistest loads such a directory in module mode with
// GOPROXY=off, so Run first makes sure every module the fixture needs is in
// the module cache (go mod download through the ordinary proxy), and then
// fails the test loudly when a fixture package does not type-check, which
// x/tools' analysistest only logs.
package analysistest

import (
	"fmt"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	xtest "golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/internal/facts"
)

// Result is x/tools' analysistest result.
type Result = xtest.Result

// Eras names the fixture templates under eras/, newest first.
var Eras = []string{"v36", "v35", "v34", "v33"}

var downloaded sync.Map // dir -> error

// Download makes sure the modules that the fixture module at dir requires are
// in the module cache. It runs once per directory per test process.
func Download(t testing.TB, dir string) {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := downloaded.LoadOrStore(abs, &sync.Once{})
	once := v.(*sync.Once)
	var dlErr error
	once.Do(func() {
		cmd := exec.Command("go", "mod", "download")
		cmd.Dir = abs
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			dlErr = err
			downloaded.Store(abs+"#err", strings.TrimSpace(string(out)))
		}
	})
	if msg, ok := downloaded.Load(abs + "#err"); ok {
		t.Fatalf("go mod download in fixture %s failed: %v\n%s", dir, dlErr, msg)
	}
}

// Run downloads the fixture's modules and runs x/tools' analysistest.Run on
// it, then fails the test if a root package had load or type errors.
//
// For a pass whose work is a stage of etcdlint's fact analyzer
// (facts.StageOf), the stage is what x/tools' analysistest runs, so that the
// fixture's expectations cover the pass's facts as well as its findings;
// the pass itself then runs on the same packages, as drivers run it, and
// must report exactly what the stage reported.
func Run(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*Result {
	t.Helper()
	Download(t, dir)
	res := xtest.Run(t, dir, stageOf(a), patterns...)
	checkLoaded(t, res)
	checkReplay(t, a, res)
	return res
}

// RunWithSuggestedFixes is Run that also checks the fixes against .golden files.
func RunWithSuggestedFixes(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*Result {
	t.Helper()
	Download(t, dir)
	res := xtest.RunWithSuggestedFixes(t, dir, stageOf(a), patterns...)
	checkLoaded(t, res)
	checkReplay(t, a, res)
	return res
}

func stageOf(a *analysis.Analyzer) *analysis.Analyzer {
	if st := facts.StageOf(a); st != nil {
		return st
	}
	return a
}

// checkReplay runs a, a pass declared with facts, on the packages its stage
// was run on, and fails the test unless it reports what the stage reported.
func checkReplay(t *testing.T, a *analysis.Analyzer, res []*Result) {
	t.Helper()
	if facts.StageOf(a) == nil {
		return
	}
	want := map[*packages.Package][]string{}
	var pkgs []*packages.Package
	for _, r := range res {
		if r.Action == nil || r.Action.Package == nil {
			continue
		}
		pkgs = append(pkgs, r.Action.Package)
		want[r.Action.Package] = diagnosticLines(r.Action.Package.Fset, r.Action.Diagnostics)
	}
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("running %s: %v", a.Name, err)
	}
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", a.Name, act.Package.PkgPath, act.Err)
			continue
		}
		got := diagnosticLines(act.Package.Fset, act.Diagnostics)
		if !slices.Equal(got, want[act.Package]) {
			t.Errorf("%s on %s reports what its stage did not:\ngot:\n\t%s\nwant:\n\t%s", a.Name, act.Package.PkgPath,
				strings.Join(got, "\n\t"), strings.Join(want[act.Package], "\n\t"))
		}
	}
}

// diagnosticLines renders diagnostics with their related positions and
// fixes, sorted, for comparison.
func diagnosticLines(fset *token.FileSet, ds []analysis.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		line := fmt.Sprintf("%v: [%s] %s", fset.Position(d.Pos), d.Category, d.Message)
		for _, r := range d.Related {
			line += fmt.Sprintf(" | %v: %s", fset.Position(r.Pos), r.Message)
		}
		for _, f := range d.SuggestedFixes {
			line += fmt.Sprintf(" | fix %q (%d edits)", f.Message, len(f.TextEdits))
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

func checkLoaded(t *testing.T, res []*Result) {
	t.Helper()
	if len(res) == 0 {
		t.Errorf("no package was analysed")
	}
	for _, r := range res {
		if r.Action == nil || r.Action.Package == nil {
			continue
		}
		for _, e := range r.Action.Package.Errors {
			t.Errorf("fixture package %s does not load cleanly: %v", r.Action.Package.PkgPath, e)
		}
	}
}

// Fixture returns the path of testdata/<era> for the calling test's package.
func Fixture(era string) string { return filepath.Join("testdata", era) }

// Packages returns the packages that Run analysed, in its order.
func Packages(res []*Result) []*packages.Package {
	var out []*packages.Package
	for _, r := range res {
		if r.Action != nil && r.Action.Package != nil {
			out = append(out, r.Action.Package)
		}
	}
	return out
}

// Diagnostics runs a, as drivers run it, on pkgs (packages a Run or Load
// returned: their dependencies are not loaded again) and returns the
// diagnostics of pkgs, one copy of those that a package and its test
// variant both report, in position order. Tests use it to see what the
// same packages give under another flag value without paying a second load,
// which costs far more than the analysis.
func Diagnostics(t testing.TB, a *analysis.Analyzer, pkgs []*packages.Package) []analysis.Diagnostic {
	t.Helper()
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("running %s: %v", a.Name, err)
	}
	var out []analysis.Diagnostic
	seen := map[string]bool{}
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Fatalf("%s on %s: %v", a.Name, act.Package.PkgPath, act.Err)
		}
		for _, d := range act.Diagnostics {
			k := fmt.Sprintf("%v %s", act.Package.Fset.Position(d.Pos), d.Message)
			if !seen[k] {
				seen[k] = true
				out = append(out, d)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

var loaded sync.Map // dir + patterns -> *loadResult

type loadResult struct {
	once sync.Once
	pkgs []*packages.Package
	err  error
}

// Load downloads the fixture's modules and loads patterns in the fixture
// module at dir as x/tools' analysistest does (syntax and types of every
// package and its dependencies, tests included, offline), once per test
// process for the same dir and patterns: the packages are read only, and
// Diagnostics can analyse them again under each flag value a test tries.
func Load(t testing.TB, dir string, patterns ...string) []*packages.Package {
	t.Helper()
	Download(t, dir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := loaded.LoadOrStore(abs+"\x00"+strings.Join(patterns, "\x00"), &loadResult{})
	lr := v.(*loadResult)
	lr.once.Do(func() {
		cfg := &packages.Config{
			Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
				packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo |
				packages.NeedDeps | packages.NeedModule,
			Dir:   abs,
			Tests: true,
			Env:   append(os.Environ(), "GO111MODULE=on", "GOPROXY=off", "GOWORK=off"),
		}
		lr.pkgs, lr.err = packages.Load(cfg, patterns...)
		if lr.err == nil && len(lr.pkgs) == 0 {
			lr.err = fmt.Errorf("no packages matched %v", patterns)
		}
	})
	if lr.err != nil {
		t.Fatalf("loading %v in %s: %v", patterns, dir, lr.err)
	}
	for _, p := range lr.pkgs {
		for _, e := range p.Errors {
			t.Errorf("fixture package %s does not load cleanly: %v", p.PkgPath, e)
		}
	}
	return lr.pkgs
}
