package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/etcdlint/etcdlint/passes/registry"
)

// The cached standalone command.
//
// `etcdlint [flags] packages` runs as
//
//	go vet -vettool=<this executable> -json -standalone-units <flags> packages
//
// and prints go vet's per-unit results as one result, in text or JSON, as
// the uncached command would. go vet keeps each unit's facts and output in
// the go command's build cache (GOCACHE, or a GOCACHEPROG program shared
// between machines) under a key made of the package's compile action ID
// (its files, its dependencies' export data, the build configuration and
// its directory), the facts files of the units it imports, the flags and
// etcdlint's own ID (the SHA-256 of this executable): a unit whose key is
// unchanged is not run again, and a unit whose facts come out unchanged
// leaves its importers' keys unchanged.
//
// Not served from the cache, and run as before (the x/tools driver in this
// process): -fix and -diff (they write files), -whole, help, the driver's
// debugging flags (-debug, -cpuprofile, -memprofile, -trace, -v), GOFLAGS
// with -trimpath (cached positions could then name another checkout), and
// any run with ETCDLINT_CACHE=off.
//
// The cache is the default: go vet analyses each package in a process of
// its own, with only its dependencies' facts read from their export data,
// and finds what the in-process driver finds (facts about methods that no
// importer's export data names travel in a package fact, internal/facts
// hidden.go; related positions in other packages are given by line under
// both). If go vet fails (a package does not build, a test file does not
// compile), the packages it analysed keep its results, and those it could
// not (the broken ones and those that import them) are analysed uncached,
// so that errors read as they always have; the output is the uncached
// command's.
//
// Text output is rendered from the JSON results in both modes (see
// jsonTree.printText), so that cached and uncached runs print the same
// bytes.

// cacheEnv turns the cache off when set to "off" (as the runs the cached
// path starts itself do).
const cacheEnv = "ETCDLINT_CACHE"

// A parsedArgs is a standalone command line: its flags, each once, and its
// package patterns.
type parsedArgs struct {
	flags    map[string]string // name → value, the last one given
	patterns []string
	unknown  bool // a flag the command does not know: let the driver complain
}

// Flags of the x/tools driver that need a value (all others are boolean).
var valueFlags = map[string]bool{"c": true, "debug": true, "cpuprofile": true, "memprofile": true, "trace": true, "tags": true, "V": false}

// Flags of the driver with which a run is not served from the cache.
var uncachedFlags = map[string]bool{
	"fix": true, "diff": true, "debug": true, "cpuprofile": true, "memprofile": true, "trace": true,
	"v": true, "V": true, "flags": true, "source": true, "tags": true, "all": true, unitsFlag: true,
}

// driverFlags are the flags of x/tools' driver that a standalone run takes.
var driverFlags = map[string]bool{
	"json": true, "c": true, "test": true, "fix": true, "diff": true, "debug": true, "cpuprofile": true,
	"memprofile": true, "trace": true, "v": true, "V": true, "flags": true, "source": true, "tags": true, "all": true,
	unitsFlag: true,
}

// passFlag reports whether name is a pass's flag (-NAME or -NAME.flag)
// and whether it is boolean.
func passFlag(name string) (isBool, ok bool) {
	pass, sub, hasSub := strings.Cut(name, ".")
	e, found := registry.Lookup(pass)
	if !found {
		return false, false
	}
	if !hasSub {
		return true, true
	}
	f := e.Analyzer.Flags.Lookup(sub)
	if f == nil {
		return false, false
	}
	b, isB := f.Value.(interface{ IsBoolFlag() bool })
	return isB && b.IsBoolFlag(), true
}

// parseArgs splits a standalone command line as the flag package would.
func parseArgs(args []string) parsedArgs {
	p := parsedArgs{flags: map[string]string{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			p.unknown = true // leave unusual command lines to the driver
			return p
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			p.patterns = args[i:]
			return p
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		isBool, ok := passFlag(name)
		if !ok {
			if !driverFlags[name] {
				p.unknown = true
				return p
			}
			isBool = !valueFlags[name]
		}
		if !hasValue {
			if isBool {
				value = "true"
			} else {
				if i+1 >= len(args) {
					p.unknown = true
					return p
				}
				i++
				value = args[i]
			}
		}
		if isBool {
			b, err := strconv.ParseBool(value)
			if err != nil {
				p.unknown = true
				return p
			}
			value = strconv.FormatBool(b)
		}
		p.flags[name] = value
	}
	return p
}

// analysisRun reports whether args ask the standalone command to analyse
// packages and print diagnostics (not help, not go vet's queries, not a
// unit, not fixes).
func analysisRun(p parsedArgs) bool {
	if p.unknown || len(p.patterns) == 0 || p.patterns[0] == "help" || strings.HasSuffix(p.patterns[len(p.patterns)-1], ".cfg") {
		return false
	}
	for _, n := range []string{"fix", "diff", "flags", "V", unitsFlag} {
		if _, ok := p.flags[n]; ok {
			return false
		}
	}
	return true
}

// cacheable reports whether the run can be served from go vet's cache.
func cacheable(p parsedArgs) bool {
	if os.Getenv(cacheEnv) == "off" || strings.Contains(os.Getenv("GOFLAGS"), "trimpath") {
		return false
	}
	for n := range p.flags {
		if uncachedFlags[n] {
			return false
		}
	}
	return true
}

// runStandalone runs an analysis run of the standalone command (main has
// taken -sarif, -format and -whole out of args): from go vet's cache when
// it can, else uncached. done is false when main should run x/tools'
// driver itself: an uncached -json run, or a command line that is no
// analysis run.
func runStandalone(args []string) (code int, done bool) {
	p := parseArgs(args)
	if !analysisRun(p) {
		return 0, false
	}
	jsonOut := p.flags["json"] == "true"
	contextLines := -1
	if c, ok := p.flags["c"]; ok {
		n, err := strconv.Atoi(c)
		if err != nil {
			return 0, false // the driver reports the bad value
		}
		contextLines = n
	}
	if cacheable(p) {
		tree, stderr, ok := vetUnits(p)
		if ok {
			os.Stderr.Write(stderr)
			return output(tree, jsonOut, contextLines, 0), true
		}
		if roots := unanalysed(p, tree, stderr); len(roots) > 0 {
			flags := args[:len(args)-len(p.patterns)]
			return uncachedOver(tree, append(slices.Clip(flags), roots...), jsonOut, contextLines), true
		}
	}
	if jsonOut && os.Getenv(cacheEnv) == "off" {
		return 0, false
	}
	return uncached(args, jsonOut, contextLines), true
}

// output prints tree as -json or as text and returns the exit code.
func output(tree jsonTree, jsonOut bool, contextLines, code int) int {
	if jsonOut {
		if _, err := os.Stdout.Write(tree.bytes()); err != nil {
			return 1
		}
		return code
	}
	c, err := tree.printText(os.Stderr, contextLines)
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		c = 1
	}
	return max(code, c)
}

// uncached runs the x/tools driver in a child process with -json and the
// cache off, and prints its result.
func uncached(args []string, jsonOut bool, contextLines int) int {
	return uncachedOver(nil, args, jsonOut, contextLines)
}

// uncachedOver is uncached with the child's result merged into base, the
// results of the go vet units that did run (nil for none).
func uncachedOver(base jsonTree, args []string, jsonOut bool, contextLines int) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
		return 1
	}
	var childArgs []string
	if !jsonOut {
		childArgs = append(childArgs, "-json")
	}
	for _, a := range args {
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && n == "c" && !jsonOut {
			continue // context lines are the text rendering's; -c N is not cacheable-split here
		}
		childArgs = append(childArgs, a)
	}
	cmd := exec.Command(exe, childArgs...)
	cmd.Env = append(os.Environ(), cacheEnv+"=off")
	cmd.Stderr = os.Stderr
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	code := 0
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			fmt.Fprintf(os.Stderr, "etcdlint: %v\n", err)
			return 1
		}
		code = exit.ExitCode()
	}
	if jsonOut && base == nil {
		os.Stdout.Write(stdout.Bytes())
		return code
	}
	tree := jsonTree{}
	if err := tree.add(stdout.Bytes()); err != nil {
		os.Stdout.Write(stdout.Bytes())
		return max(code, 1)
	}
	for id, byName := range base {
		if tree[id] == nil {
			tree[id] = byName
		}
	}
	return output(tree, jsonOut, contextLines, code)
}

// unanalysed returns the import paths of the packages that a go vet run
// that failed did not analyse, from its stderr (a "# ID" line heads what
// go vet says about each package it could not build or vet) and go list:
// those packages, and every package whose dependencies (its tests' too)
// include one. It returns nil when go vet analysed nothing, names no
// package, or go list fails: the caller then runs everything uncached.
func unanalysed(p parsedArgs, tree jsonTree, vetStderr []byte) []string {
	// The packages (import paths; go vet names a test variant by its
	// package's path) go vet names, and go list IDs ("p", "p [p.test]",
	// "p_test [p.test]") by the same path.
	failed := map[string]bool{}
	for line := range strings.Lines(string(vetStderr)) {
		if id, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "# "); ok {
			failed[basePath(strings.Trim(id, "[]"))] = true
		}
	}
	isFailed := func(id string) bool { return failed[basePath(id)] }
	if tree == nil || len(failed) == 0 {
		return nil
	}
	args := []string{"list", "-e", "-f", "{{.ImportPath}}\t{{if .ForTest}}{{.ForTest}}{{else}}{{.ImportPath}}{{end}}\t{{join .Deps \" \"}}"}
	if p.flags["test"] != "false" {
		args = append(args, "-test")
	}
	args = append(args, p.patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil
	}
	var roots []string
	order := map[string]int{} // go list's order of the packages, the driver's
	for line := range strings.Lines(string(out)) {
		fields := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(fields) != 3 {
			return nil
		}
		id, path, deps := fields[0], fields[1], strings.Fields(fields[2])
		if _, ok := order[id]; !ok && id == path {
			order[id] = len(order)
		}
		if strings.HasSuffix(id, ".test") && !strings.Contains(id, " ") {
			continue // a test's generated main package
		}
		if (isFailed(id) || slices.ContainsFunc(deps, isFailed)) && !slices.Contains(roots, path) {
			roots = append(roots, path)
		}
	}
	// The uncached command prints the errors of its packages in that order.
	slices.SortStableFunc(roots, func(a, b string) int { return order[a] - order[b] })
	if debugCache() {
		fmt.Fprintf(os.Stderr, "etcdlint: cache: go vet did not analyse %s; analysing them uncached\n", strings.Join(roots, " "))
	}
	return roots
}

// basePath is the import path of a go list ID: "p [p.test]" is p's test
// variant, "p_test [p.test]" its external tests (path p_test).
func basePath(id string) string {
	path, _, _ := strings.Cut(id, " ")
	return path
}

// vetFlags are the flags of p as go vet passes them on to every unit: each
// once, in a fixed order, so that the same settings make the same cache key.
func vetFlags(p parsedArgs) []string {
	names := make([]string, 0, len(p.flags))
	for n := range p.flags {
		switch n {
		case "json", "c":
			continue // every unit prints JSON; context lines are rendering
		}
		names = append(names, n)
	}
	sort.Strings(names)
	out := []string{"-json", "-" + unitsFlag}
	for _, n := range names {
		out = append(out, "-"+n+"="+p.flags[n])
	}
	return out
}

// vetUnits runs go vet with this executable as its tool and returns the
// merged results of its units and go vet's stderr; ok is false if go vet
// failed, and tree then holds the results of the units that ran.
func vetUnits(p parsedArgs) (tree jsonTree, stderr []byte, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, false
	}
	args := append([]string{"vet", "-vettool=" + exe}, vetFlags(p)...)
	args = append(args, p.patterns...)
	cmd := exec.Command("go", args...)
	var stdout, errb bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &errb
	if debugCache() {
		fmt.Fprintf(os.Stderr, "etcdlint: cache: go %s\n", strings.Join(args, " "))
	}
	if err := cmd.Run(); err != nil {
		if debugCache() {
			fmt.Fprintf(os.Stderr, "etcdlint: cache: go vet failed (%v):\n%s", err, errb.Bytes())
		}
		tree = jsonTree{}
		if tree.add(stdout.Bytes()) != nil {
			return nil, nil, false
		}
		return tree, errb.Bytes(), false // the units that ran
	}
	tree = jsonTree{}
	if err := tree.add(stdout.Bytes()); err != nil {
		if debugCache() {
			fmt.Fprintf(os.Stderr, "etcdlint: cache: reading go vet's output: %v; running uncached\n", err)
		}
		return nil, nil, false
	}
	return tree, errb.Bytes(), true
}

func debugCache() bool { return strings.Contains(os.Getenv("ETCDLINT_DEBUG"), "cache") }
