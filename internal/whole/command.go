package whole

import (
	"fmt"
	"io"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/internal/fixes"
)

// Options are the whole-program command's output choices.
type Options struct {
	JSON  bool // print the x/tools JSON tree instead of text
	Fix   bool // apply the suggested fixes
	Tests bool // also analyse test packages
}

// Command runs the analyzers over the packages of patterns in whole-program
// mode and prints the diagnostics as x/tools' standalone checker does (text
// on stderr, JSON on stdout). It returns the same exit status: 0 no
// findings, 3 findings (text only; with JSON it is 0), 1 errors.
func Command(analyzers []*analysis.Analyzer, patterns []string, opts Options, stdout, stderr io.Writer) int {
	pkgs, err := Load("", opts.Tests, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "etcdlint: %v\n", err)
		return 1
	}
	var loadErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
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
	g, err := Analyze(analyzers, pkgs)
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
