// Package analysistest runs etcdlint's analyzers on fixture modules that
// type-check against real etcd releases, and checks what they report
// against the "// want" comments of the fixtures, in the notation of x/tools'
// analysistest.
//
// A fixture is a directory with its own go.mod and committed go.sum, pinned to
// one etcd line (the templates are in eras/: v36 = client/server v3.6, v35 =
// v3.5, v34 = the 3.4 module go.etcd.io/etcd, v33 = github.com/coreos/etcd
// 3.3). It is loaded in module mode with GOPROXY=off, once per test process,
// after every module it needs was put in the module cache (go mod download
// through the ordinary proxy). A fixture package that does not type-check
// fails the test loudly.
//
// The v35, v34 and v33 fixture files are generated from the v36 ones by
// internal/genfixtures (go generate ./analysistest); a file marked
// //fixture:handwritten differs by era on purpose and is left alone.
package analysistest

//go:generate go run ../internal/genfixtures -root ..

import (
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"maps"
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
	"github.com/etcdlint/etcdlint/internal/fixes"
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

// Run runs a on the packages of the fixture module at dir that patterns
// match ("./x" or "./x/..."), with their test variants, and checks its
// diagnostics and facts against the "// want" comments of their files, in
// the notation of x/tools' analysistest. It fails the test if a matched
// package had load or type errors, which x/tools' analysistest only logs.
//
// The module is loaded once per test process (see Load): loading a fixture
// with etcd and its dependencies from source costs far more than analysing
// it, and every test of a pass reads the same fixture modules.
//
// For a pass whose work is a stage of etcdlint's fact analyzer
// (facts.StageOf), the stage is what runs against the expectations, so that
// the fixture's expectations cover the pass's facts as well as its findings;
// the pass itself then runs on the same packages, as drivers run it, and
// must report exactly what the stage reported.
func Run(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*Result {
	t.Helper()
	res := run(t, dir, stageOf(a), patterns)
	checkReplay(t, a, res)
	return res
}

// RunWithSuggestedFixes is Run that also checks the fixes: applied as
// etcdlint applies them (the first fix of each diagnostic), every file they
// change must read as its .golden file beside it.
func RunWithSuggestedFixes(t *testing.T, dir string, a *analysis.Analyzer, patterns ...string) []*Result {
	t.Helper()
	res := run(t, dir, stageOf(a), patterns)
	for _, r := range res {
		checkGolden(t, r.Action)
	}
	checkReplay(t, a, res)
	return res
}

func run(t *testing.T, dir string, a *analysis.Analyzer, patterns []string) []*Result {
	t.Helper()
	pkgs := Load(t, dir, patterns...)
	g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("running %s: %v", a.Name, err)
	}
	var res []*Result
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", a.Name, act.Package.PkgPath, act.Err)
			continue
		}
		checkExpectations(t, act)
		res = append(res, &Result{Action: act, Diagnostics: act.Diagnostics, Result: act.Result})
	}
	if len(res) == 0 {
		t.Errorf("no package was analysed")
	}
	return res
}

// checkGolden compares the files that act's fixes change with their
// .golden files.
func checkGolden(t reporter, act *checker.Action) {
	t.Helper()
	fixed, err := fixes.Fixed(act.Package.Fset, act.Diagnostics)
	if err != nil {
		t.Errorf("%s: %v", act.Package.PkgPath, err)
	}
	for _, name := range slices.Sorted(maps.Keys(fixed)) {
		golden, err := os.ReadFile(name + ".golden")
		if err != nil {
			t.Errorf("fixes change %s, which has no golden file: %v", name, err)
			continue
		}
		if want, err := format.Source(golden); err == nil {
			golden = want
		}
		if got := fixed[name]; !bytes.Equal(got, golden) {
			t.Errorf("%s after its fixes differs from %s.golden:\n-- fixed --\n%s\n-- golden --\n%s", name, filepath.Base(name), got, golden)
		}
	}
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

var loaded sync.Map // abs dir -> *loadResult

type loadResult struct {
	once   sync.Once
	module string
	pkgs   []*packages.Package
	err    error
}

// Load downloads the fixture's modules and returns the packages of the
// fixture module at dir that patterns match ("./x" or "./x/..."), with
// their test variants, as x/tools' analysistest loads them (syntax and types
// of every package and its dependencies, tests included, offline). The whole
// module is loaded once per test process; the packages are read only, so Run
// and Diagnostics analyse them again under each flag value a test tries.
// A matched package with load or type errors fails the test.
func Load(t testing.TB, dir string, patterns ...string) []*packages.Package {
	t.Helper()
	Download(t, dir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := loaded.LoadOrStore(abs, &loadResult{})
	lr := v.(*loadResult)
	lr.once.Do(func() {
		lr.module, lr.err = modulePath(abs)
		if lr.err != nil {
			return
		}
		cfg := &packages.Config{
			Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
				packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo |
				packages.NeedDeps | packages.NeedModule,
			Dir:   abs,
			Tests: true,
			Env:   append(os.Environ(), "GO111MODULE=on", "GOPROXY=off", "GOWORK=off"),
		}
		lr.pkgs, lr.err = packages.Load(cfg, "./...")
	})
	if lr.err != nil {
		t.Fatalf("loading the fixture module in %s: %v", dir, lr.err)
	}
	var out []*packages.Package
	for _, pattern := range patterns {
		n := 0
		for _, p := range lr.pkgs {
			if matches(lr.module, pattern, p.PkgPath) && !slices.Contains(out, p) {
				out = append(out, p)
				n++
			}
		}
		if n == 0 {
			t.Fatalf("no package of %s matches %s", dir, pattern)
		}
	}
	for _, p := range out {
		for _, e := range p.Errors {
			t.Errorf("fixture package %s does not load cleanly: %v", p.PkgPath, e)
		}
	}
	return out
}

// matches reports whether the package pkgPath, or the package whose test
// variant, external test or test main it is, is matched by pattern, a
// directory pattern relative to the module root or an import path pattern.
func matches(module, pattern, pkgPath string) bool {
	path := strings.TrimSuffix(strings.TrimSuffix(pkgPath, ".test"), "_test")
	if rel, ok := strings.CutPrefix(pattern, "."); ok {
		pattern = module + rel
	}
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return path == pattern
}

// modulePath reads the module path from the go.mod in dir.
func modulePath(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	for l := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s/go.mod names no module", dir)
}
