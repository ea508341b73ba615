// Command etcdlint finds Go code that misuses etcd: values that grow with a
// collection, keys rewritten forever, watches and leases never released,
// embedded servers that never compact.
//
// It is at once a standalone checker and a go vet / go fix tool:
//
//	etcdlint ./...                               # text, exit 3 on findings
//	etcdlint -json ./...                         # JSON
//	etcdlint -sarif ./... > etcdlint.sarif       # SARIF 2.1.0 (also -format=sarif)
//	etcdlint -fix ./...                          # apply the suggested fixes (-diff: print them)
//	etcdlint -hotkey=false ./...                 # every default pass but hotkey
//	etcdlint -hotkey.max-bound=50 ./...          # a pass's flag
//	go vet -vettool=$(which etcdlint) ./...
//	go fix -fixtool=$(which etcdlint) ./...
//
// Exit status: 0 no findings, 3 findings (standalone, also with -sarif), 1
// errors; under go vet, findings make go vet exit 1. Run "etcdlint help" for
// the passes and flags, "etcdlint help NAME" for one pass's documentation.
// Passes that are off by default run only when named (-NAME).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/etcdlint/etcdlint/internal/facts"
	"github.com/etcdlint/etcdlint/passes/registry"
)

func main() {
	args := os.Args[1:]
	format, rest, err := outputFormat(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		os.Exit(1)
	}
	switch format {
	case "sarif":
		os.Exit(runSARIF(rest))
	case "json":
		rest = append([]string{"-json"}, rest...)
	}
	if wholeRequested(rest) {
		os.Exit(runWhole(rest))
	}
	if flagGiven(rest, "program") {
		fmt.Fprintln(os.Stderr, "etcdlint: -program needs -whole")
		os.Exit(1)
	}
	if unitRequested(rest) {
		r, code, done := runUnit(rest)
		if done {
			os.Exit(code)
		}
		rest = r
	} else if code, done := runStandalone(rest); done {
		os.Exit(code)
	}
	if helpRequested(rest) && rest[len(rest)-1] == "help" {
		printPreface()
	}
	if !flagGiven(rest, "flags") { // go vet's query: these flags are not for go vet to pass on
		declareDriverFlags(flag.CommandLine)
	}
	flag.Bool(unitsFlag, false, unitsUsage) // go vet must pass it on to its units
	os.Args = append(os.Args[:1], rest...)
	analyzers := selected(rest)
	facts.Select(enabled(rest, analyzers))
	if len(rest) > 0 && strings.HasSuffix(rest[len(rest)-1], ".cfg") {
		facts.SeparateUnits() // a go vet unit: this package alone, its imports' facts from their export data
	}
	multichecker.Main(analyzers...)
}

// Usages of the flags that etcdlint reads itself, before x/tools' driver.
const (
	sarifUsage   = "emit SARIF 2.1.0 output (the same as -format=sarif)"
	formatUsage  = "output format: text, json or sarif"
	wholeUsage   = "whole-program mode: interface calls resolve to implementations in packages the caller does not import"
	programUsage = "with -whole: comma-separated package patterns that make up the program: searched for implementations, not reported on (default: every package of the main module; empty: the named packages only)"
)

// declareDriverFlags declares on fs the flags that main takes out of the
// command line before x/tools' driver parses the rest (-sarif, -format,
// -whole, -program), so that the driver's -h lists them with its own. The
// driver never sees them set.
func declareDriverFlags(fs *flag.FlagSet) {
	fs.Bool("sarif", false, sarifUsage)
	fs.String("format", "text", formatUsage)
	fs.Bool("whole", false, wholeUsage)
	fs.String("program", "", programUsage)
}

// outputFormat removes -sarif and -format=FORMAT (text, json or sarif) from
// the flags before the first package argument and returns the format.
func outputFormat(args []string) (format string, rest []string, err error) {
	format = "text"
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "sarif":
			switch value {
			case "", "true", "1":
				format = "sarif"
			case "false", "0":
			default:
				return "", nil, fmt.Errorf("invalid value %q for -sarif", value)
			}
			continue
		case "format":
			if !hasValue {
				if i+1 >= len(args) {
					return "", nil, fmt.Errorf("-format needs a value: text, json or sarif")
				}
				i++
				value = args[i]
			}
			switch value {
			case "text", "json", "sarif":
				format = value
			default:
				return "", nil, fmt.Errorf("unknown -format %q: want text, json or sarif", value)
			}
			continue
		}
		rest = append(rest, a)
	}
	return format, rest, nil
}

// selected drops the passes that are off by default unless the command line
// names them (-NAME or -NAME=true). For help and for go vet's -flags query
// every pass is listed, so that help describes them all and go vet accepts
// their flags.
func selected(args []string) []*analysis.Analyzer {
	all := helpRequested(args) || flagGiven(args, "flags")
	var out []*analysis.Analyzer
	for _, e := range registry.Entries {
		if all || e.Default || named(args, e.Analyzer.Name) {
			out = append(out, e.Analyzer)
		}
	}
	return out
}

// enabled returns those of analyzers that x/tools' driver runs for args:
// if a -NAME flag is true, only those; otherwise, if one is false, all but
// those (the driver's rule, for the standalone command and under go vet
// alike). The flags are read as package flag reads them, up to the first
// argument that is not a flag; a -NAME flag only found after a flag's value
// given as a separate argument is missed, which leaves a pass's stages
// running, never one stopped that the driver runs.
func enabled(args []string, analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	set := map[string]bool{}
	for _, a := range analyzers {
		set[a.Name] = false
	}
	given := map[string]bool{}
	for _, arg := range args {
		if arg == "--" || !strings.HasPrefix(arg, "-") {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if _, ok := set[name]; !ok {
			continue
		}
		on := true
		if hasValue {
			b, err := strconv.ParseBool(value)
			if err != nil {
				continue // the driver rejects it
			}
			on = b
		}
		set[name], given[name] = on, true
	}
	anyTrue := false
	for name := range given {
		anyTrue = anyTrue || set[name]
	}
	var out []*analysis.Analyzer
	for _, a := range analyzers {
		if !set[a.Name] && (anyTrue || given[a.Name]) {
			continue
		}
		out = append(out, a)
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

func flagGiven(args []string, name string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return false
		}
		n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if n == name {
			return true
		}
	}
	return false
}

// helpRequested reports whether the first argument after the flags is "help".
func helpRequested(args []string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a == "help"
		}
	}
	return false
}

// printPreface prints what etcdlint's help adds to the standard text:
// output formats and the passes that are off by default.
func printPreface() {
	var off []string
	for _, e := range registry.Entries {
		if !e.Default {
			off = append(off, e.Analyzer.Name)
		}
	}
	fmt.Println("etcdlint finds Go code that misuses etcd.")
	fmt.Println()
	fmt.Println("Output: text (default), -json, -sarif (SARIF 2.1.0; also -format=text|json|sarif).")
	fmt.Println("Exit status: 0 no findings, 3 findings, 1 errors.")
	if len(off) > 0 {
		fmt.Printf("Passes off by default (run them with -NAME): %s.\n", strings.Join(off, ", "))
	}
	fmt.Println()
}
