package clientpercall_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/whole"
	"github.com/etcdlint/etcdlint/passes/clientpercall"
)

// reports returns "file:line: message" for clientpercall's diagnostics in pkg.
func reports(g *checker.Graph, pkg string) []string {
	var out []string
	for _, act := range g.Roots {
		if act.Analyzer != clientpercall.Analyzer || act.Package.PkgPath != pkg {
			continue
		}
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			out = append(out, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, d.Message))
		}
	}
	return out
}

// TestWholeProgram: wholeapp refreshes a shard at a time through
// probe.Prober; its only implementation, wholeimpl.Lister, dials a client
// per probe and only reads, in a package wholeapp does not import
// (wholemain wires them). Package by package nothing is reported; in
// whole-program mode the call in the loop is.
func TestWholeProgram(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			dir := analysistest.Fixture(era)
			analysistest.Download(t, dir)
			t.Setenv("GOPROXY", "off")
			t.Setenv("GOFLAGS", "-mod=mod")
			// The module TestClientPerCall loads, shared in this process.
			pkgs := analysistest.Load(t, dir, "./wholemain")
			packages.Visit(pkgs, nil, func(p *packages.Package) {
				for _, e := range p.Errors {
					t.Errorf("%s: %v", p.PkgPath, e)
				}
			})
			analyzers := []*analysis.Analyzer{clientpercall.Analyzer}
			var app []*packages.Package
			packages.Visit(pkgs, nil, func(p *packages.Package) {
				if p.PkgPath == "example.com/fixture/wholeapp" {
					app = append(app, p)
				}
			})
			modular, err := checker.Analyze(analyzers, app, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := reports(modular, "example.com/fixture/wholeapp"); len(got) != 0 {
				t.Errorf("package by package: wholeapp has diagnostics %q; want none", got)
			}
			g, err := whole.AnalyzeIn(analyzers, pkgs, app)
			if err != nil {
				t.Fatal(err)
			}
			got := reports(g, "example.com/fixture/wholeapp")
			want := "wholeapp.go:15: Prober.Probe dials a new etcd client on every call and this call runs on every iteration of this loop, with the same configuration each time"
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("whole program: wholeapp has diagnostics %q; want one starting %q", got, want)
			}
		})
	}
}
