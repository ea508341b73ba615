//go:generate go run ../../internal/gendocs -o ../../docs/checks.md

// Package registry is the one list of etcdlint's passes: the command, the
// golangci-lint plugin and the docs generator all read it.
package registry

import (
	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/passes/clientpercall"
	"github.com/etcdlint/etcdlint/passes/hotkey"
	"github.com/etcdlint/etcdlint/passes/largevalue"
	"github.com/etcdlint/etcdlint/passes/leasechurn"
	"github.com/etcdlint/etcdlint/passes/lostwatch"
	"github.com/etcdlint/etcdlint/passes/nocompact"
	"github.com/etcdlint/etcdlint/passes/txnops"
	"github.com/etcdlint/etcdlint/passes/watchleak"
)

// Entry is one pass with the metadata the analyzer itself does not carry.
type Entry struct {
	Analyzer *analysis.Analyzer
	// Since is the etcdlint version that introduced the pass.
	Since string
	// Default is false for passes that run only when named (-NAME).
	Default bool
}

// Entries lists every pass, in the order docs present them.
var Entries = []Entry{
	{Analyzer: largevalue.Analyzer, Since: "v0.1.0", Default: true},
	{Analyzer: hotkey.Analyzer, Since: "v0.1.0", Default: true},
	{Analyzer: watchleak.Analyzer, Since: "v0.1.0", Default: true},
	{Analyzer: nocompact.Analyzer, Since: "v0.1.0", Default: true},
	{Analyzer: txnops.Analyzer, Since: "v0.1.0", Default: true},
	{Analyzer: clientpercall.Analyzer, Since: "v0.1.0", Default: true},
	{Analyzer: leasechurn.Analyzer, Since: "v0.2.0", Default: true},
	{Analyzer: lostwatch.Analyzer, Since: "v0.2.0", Default: true},
}

// Analyzers returns every pass's analyzer.
func Analyzers() []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(Entries))
	for i, e := range Entries {
		out[i] = e.Analyzer
	}
	return out
}

// Lookup returns the entry of the named pass.
func Lookup(name string) (Entry, bool) {
	for _, e := range Entries {
		if e.Analyzer.Name == name {
			return e, true
		}
	}
	return Entry{}, false
}
