package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/internal/whole"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// wholeRequested reports whether the flags before the first package name
// ask for whole-program mode (-whole).
func wholeRequested(args []string) bool {
	for _, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			return false
		}
		name, value, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "whole" {
			return value == "" || value == "true" || value == "1"
		}
	}
	return false
}

// wholeFlagValues are the values of the flags of whole-program mode.
type wholeFlagValues struct {
	json, fix, tests       *bool
	program                *string
	cpuprofile, memprofile *string
	enable                 map[string]*bool // by pass name
}

// wholeFlags declares the flags of whole-program mode: those of the
// standalone checker that apply to it, -program, and every pass's.
func wholeFlags() (*flag.FlagSet, wholeFlagValues) {
	fs := flag.NewFlagSet("etcdlint -whole", flag.ContinueOnError)
	fs.Bool("whole", true, wholeUsage)
	v := wholeFlagValues{
		json:    fs.Bool("json", false, "emit JSON output"),
		fix:     fs.Bool("fix", false, "apply all suggested fixes"),
		tests:   fs.Bool("test", true, "indicates whether test files should be analyzed, too"),
		program: fs.String("program", "", programUsage),
		// As the standalone checker's: where whole-program mode spends its
		// time and memory (go tool pprof).
		cpuprofile: fs.String("cpuprofile", "", "write CPU profile to this file"),
		memprofile: fs.String("memprofile", "", "write memory profile to this file"),
		enable:     map[string]*bool{},
	}
	for _, e := range registry.Entries {
		a := e.Analyzer
		v.enable[a.Name] = fs.Bool(a.Name, false, "enable "+a.Name+" analysis")
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return fs, v
}

// runWhole is `etcdlint -whole [flags] packages`: the same passes, flags and
// outputs as the standalone checker, over the whole program at once, so that
// interface calls resolve to implementations in packages the caller does not
// import (see internal/whole).
func runWhole(args []string) int {
	fs, f := wholeFlags()
	jsonOut, fix, tests, program, enable := f.json, f.fix, f.tests, f.program, f.enable
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "etcdlint: -whole needs package patterns, e.g. etcdlint -whole ./...")
		return 1
	}
	if *f.cpuprofile != "" {
		out, err := os.Create(*f.cpuprofile)
		if err != nil {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return 1
		}
		if err := pprof.StartCPUProfile(out); err != nil {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return 1
		}
		defer func() {
			pprof.StopCPUProfile()
			out.Close()
		}()
	}
	if *f.memprofile != "" {
		defer func() {
			out, err := os.Create(*f.memprofile)
			if err == nil {
				runtime.GC()
				err = pprof.Lookup("allocs").WriteTo(out, 0)
				out.Close()
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			}
		}()
	}
	// As with the standalone checker: naming passes with -NAME runs only
	// those; -NAME=false runs the default set without them.
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) {
		if _, ok := enable[f.Name]; ok {
			explicit[f.Name] = true
		}
	})
	anyTrue := false
	for name := range explicit {
		anyTrue = anyTrue || *enable[name]
	}
	var analyzers []*analysis.Analyzer
	for _, e := range registry.Entries {
		name := e.Analyzer.Name
		switch {
		case anyTrue && *enable[name]:
		case !anyTrue && e.Default && !explicit[name]:
		default:
			continue
		}
		analyzers = append(analyzers, e.Analyzer)
	}
	opts := whole.Options{JSON: *jsonOut, Fix: *fix, Tests: *tests}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "program" {
			opts.Program = []string{}
			for _, p := range strings.Split(*program, ",") {
				if p = strings.TrimSpace(p); p != "" {
					opts.Program = append(opts.Program, p)
				}
			}
		}
	})
	return whole.Command(analyzers, fs.Args(), opts, os.Stdout, os.Stderr)
}
