package robust_test

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// seedFiles returns every .go file of the v36 fixtures of every pass.
func seedFiles(t testing.TB) []string {
	t.Helper()
	return fixtureFiles(t, "v36")
}

// fixtureFiles returns every .go file of the era's fixtures of every pass.
func fixtureFiles(t testing.TB, era string) []string {
	t.Helper()
	var out []string
	for _, mod := range fixtureModules(t, era) {
		filepath.Walk(mod, func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(path, ".go") {
				out = append(out, path)
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

// fuzzing reports whether the test binary runs with -fuzz.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

// addSeeds adds every fixture file to the fuzzer's corpus when fuzzing;
// a plain go test runs only the first n seeds (and the regression inputs
// under testdata/fuzz), each costing a whole analysis, unless
// ETCDLINT_ROBUST_SEEDS=all.
func addSeeds(f *testing.F, n int) {
	seeds := seedFiles(f)
	if !fuzzing() && os.Getenv("ETCDLINT_ROBUST_SEEDS") != "all" && len(seeds) > n {
		seeds = seeds[:n]
	}
	for _, path := range seeds {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzPkg is the import path of the package the fuzzer writes.
const fuzzPkg = "example.com/fixture/fuzz"

// FuzzAnalyzers writes each input as the only file of a package of a v36
// fixture module, loads it as a driver does and runs every pass: a panic
// crashes the run, and an internal-error diagnostic (a panic that
// report.Guard contained) fails it. Load errors are fine. Each input costs a
// load (seconds); FuzzAnalyzersInProcess is the cheap variant.
func FuzzAnalyzers(f *testing.F) {
	if testing.Short() && !fuzzing() {
		f.Skip("a load per input: not in -short")
	}
	addSeeds(f, 1)
	base := newModule(f, "v36")
	download(f, base)
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.PackageClauseOnly); err != nil {
			return // not even a package clause: go list rejects it before any pass runs
		}
		dir := t.TempDir()
		copyTree(t, base, dir)
		if err := os.MkdirAll(filepath.Join(dir, "fuzz"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "fuzz", "fuzz.go"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, dir, 2*time.Minute, "./fuzz")
		if ie := r.internalErrors(); len(ie) > 0 {
			t.Fatalf("internal errors:\n%s", strings.Join(ie, "\n"))
		}
	})
}

// universe is the set of packages (etcd and every import of the seeds)
// loaded once, that the in-process fuzzer type-checks its inputs against.
type universe struct {
	fset  *token.FileSet
	pkgs  map[string]*packages.Package
	sizes types.Sizes
}

var (
	uniOnce sync.Once
	uni     *universe
	uniErr  string
)

// loadUniverse loads, in a v36 module, a package importing every import
// path of the seeds (but the fixtures' own packages).
func loadUniverse(t testing.TB) *universe {
	uniOnce.Do(func() {
		dir := universeModule(t, "v36")
		download(t, dir)
		pkgs := load(t, dir, 5*time.Minute, natural, "./deps")
		u := &universe{fset: pkgs[0].Fset, pkgs: map[string]*packages.Package{}, sizes: pkgs[0].TypesSizes}
		packages.Visit(pkgs, nil, func(p *packages.Package) { u.pkgs[p.PkgPath] = p })
		if len(pkgs[0].Errors) > 0 {
			uniErr = pkgs[0].Errors[0].Error()
		}
		uni = u
	})
	if uniErr != "" {
		t.Fatalf("loading the fuzzer's dependencies: %s", uniErr)
	}
	return uni
}

// universeModule makes a module of the era's template (newModule) with one
// package, deps, importing every import path of the era's fixtures of every
// pass but their own packages, and returns its directory.
func universeModule(t testing.TB, era string) string {
	t.Helper()
	paths := map[string]bool{}
	local := localModules(t, era)
	for _, path := range fixtureFiles(t, era) {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p != "C" && !strings.HasPrefix(p, fixturePath) && !local[modulePrefix(p, local)] {
				paths[p] = true
			}
		}
	}
	var sorted []string
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	var src strings.Builder
	src.WriteString("package deps\n\nimport (\n")
	for _, p := range sorted {
		src.WriteString("\t_ " + strconv.Quote(p) + "\n")
	}
	src.WriteString(")\n")
	dir := newModule(t, era)
	if err := os.MkdirAll(filepath.Join(dir, "deps"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "deps", "deps.go"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// localModules returns the module paths that the era's fixture modules
// replace with a directory of their own (a library module beside the
// fixture): their packages are fixture code, not dependencies.
func localModules(t testing.TB, era string) map[string]bool {
	t.Helper()
	local := map[string]bool{}
	for _, mod := range fixtureModules(t, era) {
		data, err := os.ReadFile(filepath.Join(mod, "go.mod"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "replace "))
			if len(f) >= 3 && f[1] == "=>" && (strings.HasPrefix(f[2], "./") || strings.HasPrefix(f[2], "../")) {
				local[f[0]] = true
			}
		}
	}
	return local
}

// modulePrefix returns the module of local that provides import path p, or
// "" if none does.
func modulePrefix(p string, local map[string]bool) string {
	for m := range local {
		if p == m || strings.HasPrefix(p, m+"/") {
			return m
		}
	}
	return ""
}

// maxClosure bounds the dependencies of an input the in-process fuzzer
// analyses: the passes' fact analyzers run over every dependency on each
// input, and Go's fuzzing worker kills an input that runs over 10s. The
// client and its concurrency package are about 360 packages; the embedded
// server, about 560, takes 5-12s per input on a busy 2-core machine.
const maxClosure = 450

// checkInProcess parses and type-checks src against the universe and, if
// it type-checks, runs every pass on it in-process.
func checkInProcess(t *testing.T, u *universe, src []byte) {
	fset := u.fset // shared: positions of the dependencies stay valid
	f, err := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return // a load would report the syntax error and no pass would run
	}
	imports := map[string]*packages.Package{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		dep, ok := u.pkgs[p]
		if !ok {
			return // an import the universe lacks: a load error
		}
		imports[p] = dep
	}
	var deps []*packages.Package
	for _, p := range imports {
		deps = append(deps, p)
	}
	closure := 0
	packages.Visit(deps, nil, func(*packages.Package) { closure++ })
	if closure > maxClosure {
		return // too slow per input for the fuzzer's 10s limit: covered by FuzzAnalyzers
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	var typeErr error
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if p, ok := imports[path]; ok && p.Types != nil {
				return p.Types, nil
			}
			return nil, os.ErrNotExist
		}),
		Sizes:     u.sizes,
		GoVersion: "go1.26",
		Error:     func(err error) { typeErr = err },
	}
	tpkg, _ := conf.Check(fuzzPkg, fset, []*ast.File{f}, info)
	if typeErr != nil || tpkg == nil {
		return // ill-typed: the checker skips every pass
	}
	pkg := &packages.Package{
		ID: fuzzPkg, Name: tpkg.Name(), PkgPath: fuzzPkg,
		Fset: fset, Syntax: []*ast.File{f}, Types: tpkg, TypesInfo: info, TypesSizes: u.sizes,
		Imports: imports, CompiledGoFiles: []string{"fuzz.go"}, GoFiles: []string{"fuzz.go"},
	}
	r := analyze(t, "", []*packages.Package{pkg}, 2*time.Minute)
	if r.err != nil {
		t.Fatalf("checker: %v", r.err)
	}
	if ie := r.internalErrors(); len(ie) > 0 {
		t.Fatalf("internal errors:\n%s", strings.Join(ie, "\n"))
	}
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// FuzzAnalyzersInProcess is FuzzAnalyzers without go list: the input is
// parsed and type-checked against packages loaded once, then analysed by
// every pass (which still run their fact analyzers over the dependencies).
func FuzzAnalyzersInProcess(f *testing.F) {
	addSeeds(f, 3)
	u := loadUniverse(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkInProcess(t, u, src)
	})
}
