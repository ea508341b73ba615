package hotkey_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/whole"
	"github.com/etcdlint/etcdlint/passes/hotkey"
)

// diagnostics returns "file:line: message" for hotkey's diagnostics in the
// packages under example.com/fixture/whole/.
func diagnostics(g *checker.Graph) []string {
	var out []string
	for _, act := range g.Roots {
		if act.Analyzer != hotkey.Analyzer || !strings.HasPrefix(act.Package.PkgPath, "example.com/fixture/whole/") {
			continue
		}
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			out = append(out, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, d.Message))
		}
	}
	slices.Sort(out)
	return out
}

// TestWholeProgram runs hotkey over the packages under whole/ of every era,
// package by package (go vet's model) and in whole-program mode (etcdlint
// -whole). beacon ticks and calls notify.Announcer.Announce with a fixed
// name; the only implementation, etcdnotify.Client.Announce, does a Put, in
// a package beacon does not import (main wires them). Package by package
// the call writes nothing; in whole-program mode it is the hot key, and the
// loops whose name changes or whose write is behind a change check stay
// clean. leader does the same through kvstore.Store, an interface of another
// module (a library that knows nothing of etcd) whose etcd backend main
// registers: resolved in whole-program mode to the implementations that
// reach etcd.
func TestWholeProgram(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			dir := analysistest.Fixture(era)
			analysistest.Download(t, dir)
			t.Setenv("GOPROXY", "off")
			t.Setenv("GOFLAGS", "-mod=mod")
			// The module TestHotkey loads, shared in this process.
			pkgs := analysistest.Load(t, dir, "./whole/...")
			packages.Visit(pkgs, nil, func(p *packages.Package) {
				for _, e := range p.Errors {
					t.Errorf("%s: %v", p.PkgPath, e)
				}
			})
			analyzers := []*analysis.Analyzer{hotkey.Analyzer}
			modular, err := checker.Analyze(analyzers, pkgs, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := diagnostics(modular); len(got) != 0 {
				t.Errorf("package by package: %q; want none (the implementation is invisible)", got)
			}
			g, err := whole.Analyze(analyzers, pkgs)
			if err != nil {
				t.Fatal(err)
			}
			got := diagnostics(g)
			want := []string{
				`beacon.go:33: etcd key "/beacons/…" is rewritten every 3s by this loop (through Announcer.Announce)`,
				`leader.go:36: etcd key "/leader" is rewritten every 2s by this loop (through Store.Put)`,
			}
			if len(got) != len(want) {
				t.Fatalf("whole program: %d diagnostics %q; want %d", len(got), got, len(want))
			}
			for i := range want {
				if !strings.HasPrefix(got[i], want[i]) {
					t.Errorf("whole program: diagnostic %q; want prefix %q", got[i], want[i])
				}
			}
		})
	}
}
