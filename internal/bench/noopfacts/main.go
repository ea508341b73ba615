// Command noopfacts is the floor of the etcdlint benchmark for an analyzer
// that uses facts: x/tools' multichecker driver running one analyzer that
// does nothing but declares a fact type (and never exports a fact). Declaring
// facts makes the standalone driver load and type-check every dependency from
// source, and makes go vet run the tool on every dependency, which is the
// price any fact-based analyzer such as etcdlint pays before doing any work.
//
// It is built and run by internal/bench; see that command's documentation.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
)

// unused is the declared, never exported fact.
type unused struct{ Never bool }

func (*unused) AFact() {}

func (*unused) String() string { return "unused" }

var analyzer = &analysis.Analyzer{
	Name:      "noopfacts",
	Doc:       "does nothing but declare a fact type (benchmark floor for fact-based analyzers)",
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
	FactTypes: []analysis.Fact{new(unused)},
}

func main() { multichecker.Main(analyzer) }
