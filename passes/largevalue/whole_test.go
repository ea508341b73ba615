package largevalue_test

import (
	"fmt"
	"go/token"
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

// diagnosticsIn returns "file:line: message | file:line: related..." for the
// diagnostics reported in package pkg.
func diagnosticsIn(g *checker.Graph, pkg string) []string {
	var out []string
	for _, act := range g.Roots {
		if act.Analyzer != largevalue.Analyzer || act.Package.PkgPath != pkg {
			continue
		}
		at := func(pos token.Pos) string {
			p := act.Package.Fset.Position(pos)
			return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
		}
		for _, d := range act.Diagnostics {
			s := at(d.Pos) + ": " + d.Message
			for _, r := range d.Related {
				s += " | " + at(r.Pos) + ": " + r.Message
			}
			out = append(out, s)
		}
	}
	return out
}

// TestWholeProgram runs largevalue over the fixture module in testdata/whole
// package by package (go vet's model) and in whole-program mode.
//
//   - syncer marshals objects.Object.Status() and writes it; the only
//     implementation, traffic.Controller.Status, returns a map with one entry
//     per pipeline, in a package syncer does not import.
//   - statussync is the gateway's status syncer: a helper encodes the status
//     (and decodes and re-encodes it to add a timestamp), a closure passed to
//     the registry's Walk stores it in a map, and the map's values are all
//     written through the cluster interface.
//   - statussplit is statussync after the fix: the traffic status is split
//     per pipeline behind a type assertion, and written in chunks.
//   - chain calls function-valued hooks (a package variable, a struct
//     field) that main sets to a function writing to etcd.
//
// Package by package nothing is reported in syncer, and statussync's
// handleStatus is reported only for the one request that gathers every
// object's encoded status (traffic is not imported: the size of one status
// is unknown); in whole-program mode both are reported for the traffic
// status that grows with every pipeline, with the chain in the related
// information; statussplit never is.
func TestWholeProgram(t *testing.T) {
	dir := filepath.Join("testdata", "whole")
	analysistest.Download(t, dir)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=readonly")
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
	g, err := whole.Analyze(analyzers, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	check := func(g *checker.Graph, mode, pkg string, want ...[]string) {
		t.Helper()
		got := diagnosticsIn(g, "example.com/fixture/"+pkg)
		if len(got) != len(want) {
			t.Errorf("%s: %s has %d diagnostics %q; want %d", mode, pkg, len(got), got, len(want))
			return
		}
		for i, d := range got {
			for _, w := range want[i] {
				if !strings.Contains(d, w) {
					t.Errorf("%s: %s diagnostic %q lacks %q", mode, pkg, d, w)
				}
			}
		}
	}
	// The batch report needs no whole program: the wrapper is imported.
	batch := []string{"statussync.go:58: all values written in one etcd request", "cluster.Cluster.PutAndDelete writes all its elements"}
	check(modular, "package by package", "syncer")
	check(modular, "package by package", "statussync",
		[]string{"statussync.go:50: all values written in one etcd request grow with c.Reg (a map filled in a loop, with encoded documents)",
			"| statussync.go:40: filled here, once per element",
			"| statussync.go:53: statussync.Controller.syncStatusToCluster writes all its elements in one request"},
		batch)
	check(modular, "package by package", "statussplit")

	check(g, "whole program", "syncer", []string{"syncer.go:27: value written to", "traffic.Controller.Status", "| traffic.go:"})
	check(g, "whole program", "statussync",
		// write <- map store <- encoding <- interface call <- implementation
		[]string{"statussync.go:50: value written to etcd grows with c.pipelines",
			"| statussync.go:47: the value is stored in the map",
			"| statussync.go:53: statussync.Controller.syncStatusToCluster writes it to etcd",
			"| statussync.go:23: encoded here",
			"| statussync.go:41: returned by this interface call",
			"| traffic.go:24: returned by traffic.Controller.Status through objects.Object.Status"},
		batch)
	// The traffic status is taken apart behind a type assertion, and the
	// statuses are written in chunks.
	check(g, "whole program", "statussplit")

	// chain calls hooks that main sets to chainstore.Store.SaveIndex, which
	// writes the whole map it is given under one key: the index of every
	// transaction grows, the peers are every peer; the dropped transactions
	// go to a hook that writes nothing. Package by package the hooks are
	// opaque.
	check(modular, "package by package", "chain")
	check(g, "whole program", "chain",
		[]string{"chain.go:31: value written to \"/chain/index\" grows with b.Txs", "| chainstore.go:17: chainstore.Store.SaveIndex writes it to etcd"},
		[]string{"chain.go:56: value written to \"/chain/index\" grows with peers", "| chainstore.go:17: chainstore.Store.SaveIndex writes it to etcd"})
}
