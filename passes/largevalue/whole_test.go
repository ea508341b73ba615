package largevalue_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/whole"
	"github.com/etcdlint/etcdlint/passes/largevalue"
)

// diagnosticsIn returns "file: message | related..." for the diagnostics
// reported in package pkg.
func diagnosticsIn(g *checker.Graph, pkg string) []string {
	var out []string
	for _, act := range g.Roots {
		if act.Analyzer != largevalue.Analyzer || act.Package.PkgPath != pkg {
			continue
		}
		for _, d := range act.Diagnostics {
			s := filepath.Base(act.Package.Fset.Position(d.Pos).Filename) + ": " + d.Message
			for _, r := range d.Related {
				p := act.Package.Fset.Position(r.Pos)
				s += " | " + filepath.Base(p.Filename) + ": " + r.Message
			}
			out = append(out, s)
		}
	}
	return out
}

// TestWholeProgram: syncer marshals objects.Object.Status() and writes it;
// the only implementation, traffic.Controller.Status, returns a map with one
// entry per pipeline, in a package syncer does not import. Package by
// package (go vet's model) nothing is reported; in whole-program mode the
// write is reported, with the implementation in the related information.
func TestWholeProgram(t *testing.T) {
	dir := filepath.Join("testdata", "whole")
	analysistest.Download(t, dir)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	pkgs, err := whole.Load(dir, false, "./...")
	if err != nil {
		t.Fatal(err)
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.PkgPath, e)
		}
	})
	analyzers := []*analysis.Analyzer{largevalue.Analyzer}

	modular, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := diagnosticsIn(modular, "example.com/fixture/syncer"); len(got) != 0 {
		t.Errorf("package by package, syncer has diagnostics %q; want none (traffic is not imported)", got)
	}

	g, err := whole.Analyze(analyzers, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	got := diagnosticsIn(g, "example.com/fixture/syncer")
	if len(got) != 1 {
		t.Fatalf("whole program: syncer diagnostics %q; want 1", got)
	}
	t.Log(got[0])
	for _, want := range []string{"syncer.go: value written to", "traffic.Controller.Status", "| traffic.go:"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("whole-program diagnostic %q lacks %q", got[0], want)
		}
	}
}
