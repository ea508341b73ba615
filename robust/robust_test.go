// Package robust_test holds etcdlint's robustness tests: every pass, run
// together in-process by x/tools' checker, must not crash, hang or change
// its answer on real, broken, generated and mutated code.
package robust_test

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// moduleRoot is the etcdlint module, relative to this package's directory.
const moduleRoot = ".."

// erasDir is the directory of the fixture go.mod/go.sum templates.
var erasDir = filepath.Join(moduleRoot, "analysistest", "eras")

// result is one in-process run of every pass over a loaded fixture.
type result struct {
	dir   string
	pkgs  []*packages.Package
	graph *checker.Graph
	err   error // checker.Analyze's own error
	json  []byte
}

// env is the environment of every load: the fixture's modules are in the
// module cache (analysistest.Download), so loading needs no network, and
// -mod=readonly makes a checksum missing from a go.sum an error on every
// machine rather than a question to the checksum database that only a
// machine which asked it before can answer offline.
func env(dir string) []string {
	if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
		return append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK="+filepath.Join(absDir(dir), "go.work"), "GOTOOLCHAIN=local")
	}
	return append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
}

// parseOrder is the order in which the files of one package under the
// loaded directory are parsed, and so added to the token.FileSet: go/packages
// parses a package's files concurrently, so their token.Pos bases follow
// goroutine scheduling. Forcing both orders shows output that depends on it.
type parseOrder int

const (
	natural parseOrder = iota // as go/packages does it
	forward                   // file names in sorted order
	reverse                   // file names in reverse sorted order
)

// load loads patterns in the module at dir as x/tools' drivers do (all
// syntax, with tests), bounded by timeout.
func load(t testing.TB, dir string, timeout time.Duration, order parseOrder, patterns ...string) []*packages.Package {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cfg := &packages.Config{
		Mode:    packages.LoadAllSyntax,
		Tests:   true,
		Dir:     dir,
		Env:     env(dir),
		Context: ctx,
	}
	if order != natural {
		root := absDir(dir) + string(filepath.Separator)
		cfg.ParseFile = func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			if strings.HasPrefix(absDir(filename), root) {
				if i, n := fileIndex(filename); n > 1 {
					if order == reverse {
						i = n - 1 - i
					}
					time.Sleep(time.Duration(i) * 100 * time.Millisecond)
				}
			}
			return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatalf("loading %v in %s: %v", patterns, dir, err)
	}
	if len(pkgs) == 0 {
		t.Fatalf("loading %v in %s: no packages", patterns, dir)
	}
	return pkgs
}

// fileIndex returns the index of filename among the .go files of its
// directory in sorted order, and their number.
func fileIndex(filename string) (int, int) {
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(filename), "*.go"))
	sort.Strings(names)
	for i, n := range names {
		if filepath.Base(n) == filepath.Base(filename) {
			return i, len(names)
		}
	}
	return 0, len(names)
}

// analyze runs every registered pass over pkgs in-process. A run that takes
// longer than timeout fails the test (the analysis cannot be interrupted,
// so its goroutine is abandoned); a panic in a pass crashes the test binary,
// which go test reports as a failure with the stack.
func analyze(t testing.TB, dir string, pkgs []*packages.Package, timeout time.Duration) *result {
	t.Helper()
	type out struct {
		g   *checker.Graph
		err error
	}
	done := make(chan out, 1)
	go func() {
		g, err := checker.Analyze(registry.Analyzers(), pkgs, &checker.Options{SanityCheck: true})
		done <- out{g, err}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case o := <-done:
		r := &result{dir: dir, pkgs: pkgs, graph: o.g, err: o.err}
		if o.g != nil {
			var buf bytes.Buffer
			if err := o.g.PrintJSON(&buf); err != nil {
				t.Fatalf("PrintJSON: %v", err)
			}
			r.json = buf.Bytes()
		}
		return r
	case <-timer.C:
		t.Fatalf("analysing %s did not finish within %v (hang?)\n%s", dir, timeout, debug.Stack())
		return nil
	}
}

// run loads and analyses patterns in the fixture module at dir.
func run(t testing.TB, dir string, timeout time.Duration, patterns ...string) *result {
	t.Helper()
	return runOrdered(t, dir, timeout, natural, patterns...)
}

// runOrdered is run with the files of each package under dir parsed in order.
func runOrdered(t testing.TB, dir string, timeout time.Duration, order parseOrder, patterns ...string) *result {
	t.Helper()
	start := time.Now()
	pkgs := load(t, dir, timeout, order, patterns...)
	left := timeout - time.Since(start)
	if left < 10*time.Second {
		left = 10 * time.Second
	}
	return analyze(t, dir, pkgs, left)
}

// diag is one root diagnostic, with its pass.
type diag struct {
	pass string
	pos  string // file:line:col, the file relative to the fixture
	d    analysis.Diagnostic
	act  *checker.Action
}

func (d diag) String() string { return fmt.Sprintf("%s: [%s] %s", d.pos, d.pass, d.d.Message) }

// diags returns the diagnostics of the root actions, sorted by position.
func (r *result) diags() []diag {
	var out []diag
	for _, act := range r.graph.Roots {
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			if rel, err := filepath.Rel(absDir(r.dir), p.Filename); err == nil {
				p.Filename = filepath.ToSlash(rel)
			}
			out = append(out, diag{pass: act.Analyzer.Name, pos: p.String(), d: d, act: act})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].pos != out[j].pos {
			return out[i].pos < out[j].pos
		}
		return out[i].pass < out[j].pass
	})
	return dedup(out)
}

// dedup drops the copies of a diagnostic that a package and its test
// variant (Tests: true) both report.
func dedup(ds []diag) []diag {
	var out []diag
	seen := map[string]bool{}
	for _, d := range ds {
		k := d.pos + "\x00" + d.pass + "\x00" + d.d.Message
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// internalErrors returns every diagnostic that report.Guard made from a
// panic, in any action of the graph.
func (r *result) internalErrors() []string {
	var out []string
	for act := range r.graph.All() {
		for _, d := range act.Diagnostics {
			if d.Category == "internal" || strings.Contains(d.Message, "internal error") {
				out = append(out, fmt.Sprintf("%s: [%s] %s", act.Package.Fset.Position(d.Pos), act.Analyzer.Name, d.Message))
			}
		}
		if act.Err != nil && strings.Contains(act.Err.Error(), "internal error") {
			out = append(out, fmt.Sprintf("%s: %v", act, act.Err))
		}
	}
	sort.Strings(out)
	return out
}

// packageErrors returns the load and type errors of every loaded package.
func (r *result) packageErrors() []string {
	var out []string
	packages.Visit(r.pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			out = append(out, e.Error())
		}
	})
	sort.Strings(out)
	return out
}

// actionErrors returns the errors of the root actions, one per package and pass.
func (r *result) actionErrors() []string {
	var out []string
	for _, act := range r.graph.Roots {
		if act.Err != nil {
			out = append(out, fmt.Sprintf("%s: %v", act, act.Err))
		}
	}
	return out
}

func absDir(dir string) string {
	a, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if e, err := filepath.EvalSymlinks(a); err == nil {
		return e
	}
	return a
}

// copyTree copies the directory tree at from into to.
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newModule makes an empty v36 fixture module (go.mod and go.sum of the era
// template) in a temp dir and returns it.
func newModule(t testing.TB, era string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(erasDir, era, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// download makes the era's modules available offline.
func download(t testing.TB, dir string) {
	t.Helper()
	analysistest.Download(t, dir)
}

// fixtureModules returns every fixture module of every pass for the eras
// given, as directories relative to this package.
func fixtureModules(t testing.TB, eras ...string) []string {
	t.Helper()
	var out []string
	for _, era := range eras {
		mods, err := filepath.Glob(filepath.Join(moduleRoot, "passes", "*", "testdata", era, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mods {
			out = append(out, filepath.Dir(m))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no fixture modules for %v", eras)
	}
	return out
}

// fullRun reports whether the slow parts run for every era too
// (ETCDLINT_ROBUST_FULL=1); by default CI runs the newest and oldest eras,
// and every pass's own tests cover all four.
func fullRun() bool { return os.Getenv("ETCDLINT_ROBUST_FULL") == "1" && !testing.Short() }
