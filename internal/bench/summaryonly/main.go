// Command summaryonly runs only the analysis every etcdlint pass builds on:
// etcdssa (SSA for the packages that touch etcd) and the summary facts, as
// stages of etcdlint's one fact analyzer, under a pass that reports nothing. The etcdlint
// benchmark reports it between the facts floor and etcdlint, so that the
// cost of the shared base and the cost of the passes can be told apart.
//
// It is built and run by internal/bench; see that command's documentation.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/etcdlint/etcdlint/internal/facts"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
)

// pass reads the summaries and reports nothing.
var pass = facts.NewPass(facts.Spec{
	Name:     "summaryonly",
	Doc:      "computes etcdssa and the summary facts, and reports nothing",
	Requires: []*analysis.Analyzer{summary.Analyzer},
	Run:      func(*analysis.Pass) (any, error) { return nil, nil },
})

func main() { multichecker.Main(pass) }
