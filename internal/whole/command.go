package whole

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/internal/fixes"
)

// Options are the whole-program command's choices.
type Options struct {
	JSON  bool // print the x/tools JSON tree instead of text
	Fix   bool // apply the suggested fixes
	Tests bool // also analyse test packages
	// Program are the patterns of the packages that make up the program:
	// they are loaded with the packages to report on, and their
	// implementations and facts are seen, but nothing is reported in them.
	// Nil means every package of the main module (see ProgramOf).
	Program []string
}

// ProgramOf returns the default program of the packages in dir: every
// package of the main module ("<module root>/..."), or none outside a module.
func ProgramOf(dir string) []string {
	cmd := exec.Command("go", "env", "GOMOD")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return nil
	}
	return []string{filepath.Join(filepath.Dir(gomod), "...")}
}

// reported returns the IDs of the packages that patterns name.
func reported(dir string, tests bool, patterns []string) (map[string]bool, error) {
	cfg := &packages.Config{Mode: packages.NeedName, Tests: tests, Dir: dir}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, p := range pkgs {
		ids[p.ID] = true
	}
	return ids, nil
}

// Command runs the analyzers over the packages of patterns in whole-program
// mode and prints the diagnostics as x/tools' standalone checker does (text
// on stderr, JSON on stdout). It returns the same exit status: 0 no
// findings, 3 findings (text only; with JSON it is 0), 1 errors.
func Command(analyzers []*analysis.Analyzer, patterns []string, opts Options, stdout, stderr io.Writer) int {
	program := opts.Program
	if program == nil {
		program = ProgramOf("")
	}
	// Which packages the patterns name is a go list of its own; it runs
	// while the program loads (its own go list, then parsing and
	// type-checking), rather than before.
	type named struct {
		roots map[string]bool
		err   error
	}
	rootsc := make(chan named, 1)
	go func() {
		roots, err := reported("", opts.Tests, patterns)
		rootsc <- named{roots, err}
	}()
	all, err := Load("", opts.Tests, append(slices.Clone(patterns), program...)...)
	r := <-rootsc
	if r.err != nil {
		fmt.Fprintf(stderr, "etcdlint: %v\n", r.err)
		return 1
	}
	roots := r.roots
	if err != nil && len(program) > 0 {
		// A module whose other packages need what is not at hand (a missing
		// module, offline) can still be analysed with what the named
		// packages import.
		first, _, _ := strings.Cut(err.Error(), "\n")
		fmt.Fprintf(stderr, "etcdlint: -whole: the program %v does not load (%s); analysing the named packages and their dependencies only\n", program, first)
		all, err = Load("", opts.Tests, patterns...)
	}
	if err != nil {
		fmt.Fprintf(stderr, "etcdlint: %v\n", err)
		return 1
	}
	var pkgs []*packages.Package
	for _, p := range all {
		if roots[p.ID] {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(stderr, "etcdlint: no packages matched %v\n", patterns)
		return 1
	}
	// Errors in the packages reported on (or their dependencies) stop the
	// run, as in the standalone checker; the rest of the program only loses
	// what its broken packages would have added.
	var loadErrs []string
	needed := map[*packages.Package]bool{}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		needed[p] = true
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
	})
	if len(loadErrs) > 0 {
		sort.Strings(loadErrs)
		for _, e := range loadErrs {
			fmt.Fprintln(stderr, e)
		}
		return 1
	}
	if note := brokenNote(all, needed); note != "" {
		fmt.Fprintf(stderr, "etcdlint: -whole: %s\n", note)
	}
	g, err := AnalyzeIn(analyzers, all, pkgs)
	if err != nil {
		fmt.Fprintf(stderr, "etcdlint: %v\n", err)
		return 1
	}
	exit := 0
	for _, act := range g.Roots {
		if act.Err != nil {
			fmt.Fprintf(stderr, "etcdlint: %s: %v\n", act, act.Err)
			exit = 1
		}
	}
	if opts.Fix {
		var diags []analysis.Diagnostic
		for _, act := range g.Roots {
			diags = append(diags, act.Diagnostics...)
		}
		if _, err := fixes.Apply(pkgs[0].Fset, diags); err != nil {
			fmt.Fprintf(stderr, "etcdlint: %v\n", err)
			return 1
		}
	}
	out := stderr // text goes to stderr, as x/tools' standalone checker does
	if opts.JSON {
		out = stdout
	}
	if err := Print(out, g, opts.JSON); err != nil {
		fmt.Fprintf(stderr, "etcdlint: %v\n", err)
		return 1
	}
	if exit == 0 && Diagnostics(g) > 0 && !opts.JSON {
		exit = 3
	}
	return exit
}

// brokenShown is how many of the program's broken packages brokenNote names.
const brokenShown = 5

// brokenNote says which packages of the program, outside the packages
// reported on and their dependencies (needed), do not load: their number
// and the first brokenShown of their import paths in sorted order, so that
// the user can tell whether a missing implementation explains a finding.
// It returns "" when every package loads.
func brokenNote(all []*packages.Package, needed map[*packages.Package]bool) string {
	seen := map[string]bool{}
	var paths []string
	packages.Visit(all, nil, func(p *packages.Package) {
		if !needed[p] && len(p.Errors) > 0 && !seen[p.PkgPath] {
			seen[p.PkgPath] = true
			paths = append(paths, p.PkgPath)
		}
	})
	if len(paths) == 0 {
		return ""
	}
	sort.Strings(paths)
	names := strings.Join(paths[:min(len(paths), brokenShown)], ", ")
	if len(paths) > brokenShown {
		names += fmt.Sprintf(" and %d more", len(paths)-brokenShown)
	}
	what := fmt.Sprintf("%d packages of the program do not load", len(paths))
	if len(paths) == 1 {
		what = "1 package of the program does not load"
	}
	return fmt.Sprintf("%s (%s); their implementations are not seen", what, names)
}
