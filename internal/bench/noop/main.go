// Command noop is the floor of the etcdlint benchmark: x/tools'
// multichecker driver running one analyzer that does nothing and declares no
// facts, so the standalone driver type-checks only the named packages (their
// dependencies come from export data). Under go vet the tool still runs on
// every dependency, where it parses and type-checks the package for the
// packages that import it, but runs no analyzer there.
//
// It is built and run by internal/bench; see that command's documentation.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
)

var analyzer = &analysis.Analyzer{
	Name: "noop",
	Doc:  "does nothing (benchmark floor)",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { multichecker.Main(analyzer) }
