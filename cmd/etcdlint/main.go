// Command etcdlint finds Go code that misuses etcd: values that grow with a
// collection, keys rewritten forever, watches and leases never released,
// embedded servers that never compact.
//
// It is at once a standalone checker and a go vet tool:
//
//	etcdlint ./...
//	go vet -vettool=$(which etcdlint) ./...
//
// Exit status: 0 no findings, 3 findings (standalone), 1 errors; under go vet,
// findings make go vet exit 1. Run "etcdlint help" for the passes and flags.
package main

import (
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/etcdlint/etcdlint/passes/registry"
)

func main() {
	multichecker.Main(selected(os.Args[1:])...)
}

// selected drops the passes that are off by default unless the command line
// names them (-NAME or -NAME=true).
func selected(args []string) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, e := range registry.Entries {
		if e.Default || named(args, e.Analyzer.Name) {
			out = append(out, e.Analyzer)
		}
	}
	return out
}

func named(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimLeft(a, "-")
		if a == name || a == name+"=true" || a == name+"=1" {
			return true
		}
	}
	return false
}
