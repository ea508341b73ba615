// Command bench measures what etcdlint costs, in one run and on the same
// packages, against the floor of x/tools' analysis driver and against
// staticcheck. It is a measurement, not a test: it asserts nothing about
// time or memory.
//
// Run it from the root of the etcdlint module, on a quiet machine:
//
//	go run ./internal/bench                        # all targets, n=5
//	go run ./internal/bench -targets etcd -n 9 -out bench.md
//	go run ./internal/bench -quick -targets huge   # smoke test, n=1
//
// # What runs
//
// Every row is one whole process, timed with the wall clock; its peak RSS is
// ru_maxrss of the waited-for process (cmd.ProcessState.SysUsage). On Linux
// that value covers the process and its waited-for descendants, but as the
// largest single process, not the sum of those running at the same time: for
// go vet it is the largest of go vet itself and the tool processes it starts,
// for the standalone drivers the larger of the driver and its go list.
//
//	noop              the floor: internal/bench/noop, a multichecker whose one
//	                  analyzer does nothing and declares no facts, so the
//	                  driver type-checks only the named packages and takes
//	                  their dependencies from export data
//	noopfacts         the facts floor: internal/bench/noopfacts, the same with
//	                  a declared (never exported) fact type, so the driver
//	                  loads and type-checks every dependency from source
//	summaryonly       internal/bench/summaryonly: etcdssa and the summary facts,
//	                  the base every etcdlint pass requires, and no pass
//	etcdlint          ./cmd/etcdlint standalone, the passes the registry runs
//	                  by default (plus -etcdlint-args)
//	etcdlint-whole    the same with -whole: the named packages analysed with
//	                  the rest of the target's main module as the program
//	vet-noop          go vet -vettool=noop
//	vet-noopfacts     go vet -vettool=noopfacts
//	vet-etcdlint      go vet -vettool=etcdlint
//	staticcheck-cold  staticcheck with an empty STATICCHECK_CACHE directory
//	staticcheck-warm  staticcheck with a STATICCHECK_CACHE filled by the
//	                  untimed run
//	etcdlint-warm, vet-etcdlint-warm, etcdlint-onefile, precommit-warm
//	                  served from go vet's cache: see warm.go
//
// The etcdlint row runs uncached (ETCDLINT_CACHE=off), as every standalone
// run did before the cache: it is what the facts floor is compared with.
//
// The tools are built into a temporary directory: etcdlint from ./cmd/etcdlint
// and the floors from ./internal/bench/..., staticcheck with
// "GOBIN=<dir> go install honnef.co/go/tools/cmd/staticcheck@vX" where vX is
// the latest release that "go list -m -versions honnef.co/go/tools" reports
// (or -staticcheck). Its cache directory is the STATICCHECK_CACHE environment
// variable (honnef.co/go/tools/lintcmd/cache/default.go); the harness checks
// that the installed version's source still reads it.
//
// Every tool runs once untimed before the timed runs, so that the build cache
// holds the export data go list and go vet need and the file cache holds the
// sources; the timed runs then go round-robin over the tools, -n times, so
// that noise on a shared machine hits all rows alike. All tools analyse test
// files too (the drivers' default -test, staticcheck's default -tests, go
// vet's behaviour). Timed runs use GOPROXY=off and GOWORK=off.
//
// # go vet's cache
//
// Go 1.26's go vet caches the tool's results: (*Builder).vet in
// cmd/go/internal/work/exec.go keys the .vetx facts file and the tool's stdout
// by the tool ID, the vet flags and the package's compile action ID, and on a
// hit runs nothing. The tool ID of a -vettool is the content part of the
// buildID that "tool -V=full" prints, which for an x/tools multichecker is the
// SHA-256 of the executable (analysisflags' -V=full). So every go vet run
// (the untimed one too) gets its own copy of the tool with a few unique bytes
// appended: a new tool ID, hence no cached vet result, while the compile
// cache stays warm. Appended bytes do not change what the executable does.
//
// # Targets
//
//	etcd    a temporary module requiring go.etcd.io/etcd/server/v3,
//	        client/v3 and etcdctl/v3 at v3.6.16; the packages of
//	        go.etcd.io/etcd/server/v3/... client/v3/... etcdctl/v3/...
//	        from the module cache
//	noetcd  a temporary module requiring golang.org/x/tools v0.52.0; the
//	        packages of golang.org/x/tools/..., none of which can reach etcd
//	        (checked)
//	huge    a generated package, in a module whose go.mod and go.sum are
//	        analysistest/eras/v36's, with one function of more than 10,000
//	        statements of straight-line etcd calls and some loops, so that
//	        SSA and the passes run on it
//	dir     a module already on disk: -dir, -dir.patterns, and -dir.env for
//	        what its runs need (not the harness's own builds), e.g. a corpus
//	        checkout with its own toolchain:
//
//	go run ./internal/bench -targets dir -tools noopfacts,etcdlint,etcdlint-whole \
//	    -dir $SRC -dir.patterns ./pkg/object/statussynccontroller \
//	    -dir.env "GOROOT=$GO118 PATH=$GO118/bin:$PATH GOFLAGS=-mod=mod"
//
// The temporary modules blank-import every importable package their patterns
// name or import (tests included) and are tidied, so that go.sum is complete;
// packages that still fail to load, alone or in a test variant, are left out
// of every tool's command line, and the table says how many were.
//
// # SSA count
//
// The untimed runs of etcdlint and summaryonly, standalone and under go vet,
// set ETCDLINT_DEBUG=ssa, which makes etcdssa print "etcdlint: ssa: <path>" on
// stderr for every package that got SSA; the table counts the distinct paths.
// Under go vet these include dependencies analysed for facts.
//
// # Output
//
// One Markdown table per target: wall time (s) and peak RSS (MiB) as
// min/median/max over the timed runs; the median wall time and median RSS
// as a multiple of the row's base (noopfacts against noop; summaryonly,
// etcdlint and staticcheck against noopfacts; vet-noopfacts and vet-etcdlint
// against vet-noop); the SSA count; and the exit codes seen (a "!" marks a
// code that means the tool failed rather than reported findings; the logs
// are then kept). -out also writes the tables to a file.
//
// Flags:
//
//	-n N            timed runs per tool (default 5; 1 with -quick)
//	-targets LIST   comma-separated subset of etcd,noetcd,huge,dir
//	-dir DIR, -dir.patterns P, -dir.env E   the dir target
//	-tools LIST     comma-separated subset of the rows above
//	-quick          n=1 and smaller package sets (client/v3/...,
//	                golang.org/x/tools/go/analysis/...) for a smoke test
//	-out FILE       write the tables to FILE too
//	-work DIR       work in DIR (kept) instead of a temporary directory
//	-keep           keep the temporary directory (logs, modules, tools)
//	-staticcheck V  staticcheck version instead of the latest release
//	-etcdlint-args  extra arguments for etcdlint, e.g. "-hotkey"
//	-timeout D      limit for one run (default 30m)
//	-v              print every command
//	-list           set up the targets, print their packages, measure nothing
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/etcdlint/etcdlint/passes/registry"
)

var (
	flagN            = flag.Int("n", 5, "timed runs per tool (at least 5 for a measurement)")
	flagTargets      = flag.String("targets", "etcd,noetcd,huge", "comma-separated targets: etcd, noetcd, huge, dir")
	flagDir          = flag.String("dir", "", "module directory of the dir target")
	flagDirPatterns  = flag.String("dir.patterns", "", "package patterns of the dir target (space-separated)")
	flagDirEnv       = flag.String("dir.env", "", "extra environment of the dir target's runs, space-separated NAME=VALUE")
	flagTools        = flag.String("tools", strings.Join(toolKeys(), ","), "comma-separated rows to measure")
	flagQuick        = flag.Bool("quick", false, "smoke test: n=1 and smaller package sets")
	flagOut          = flag.String("out", "", "also write the tables to this file")
	flagWork         = flag.String("work", "", "work directory (kept); default a temporary one")
	flagKeep         = flag.Bool("keep", false, "keep the temporary work directory")
	flagStaticcheck  = flag.String("staticcheck", "", "staticcheck version (default: latest release on the module proxy)")
	flagEtcdlintArgs = flag.String("etcdlint-args", "", "extra arguments for etcdlint (space-separated)")
	flagTimeout      = flag.Duration("timeout", 30*time.Minute, "limit for one run")
	flagVerbose      = flag.Bool("v", false, "print every command")
	flagList         = flag.Bool("list", false, "set up the targets, print their packages and measure nothing")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: go run ./internal/bench [flags]\n\nSee the package documentation (go doc ./internal/bench).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	n := *flagN
	if *flagQuick {
		nSet := false
		flag.Visit(func(f *flag.Flag) { nSet = nSet || f.Name == "n" })
		if !nSet {
			n = 1
		}
	}
	if n < 1 {
		log.Fatal("-n must be at least 1")
	}
	if n < 5 && !*flagQuick {
		log.Printf("warning: -n %d is below 5; the numbers are a smoke test, not a measurement", n)
	}
	targets, err := parseList(*flagTargets, targetNames)
	if err != nil {
		log.Fatalf("-targets: %v", err)
	}
	tools, err := selectTools(*flagTools)
	if err != nil {
		log.Fatalf("-tools: %v", err)
	}

	root, err := moduleRoot()
	if err != nil {
		log.Fatal(err)
	}
	work := *flagWork
	keep := *flagKeep || work != ""
	if work == "" {
		if work, err = os.MkdirTemp("", "etcdlint-bench-"); err != nil {
			log.Fatal(err)
		}
	} else if work, err = filepath.Abs(work); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		log.Fatal(err)
	}

	b := &bench{root: root, work: work, n: n, quick: *flagQuick, tools: tools}
	failed := b.run(targets)
	if failed || keep {
		log.Printf("work directory kept: %s", work)
	} else {
		os.RemoveAll(work)
	}
	if failed {
		os.Exit(1)
	}
}

type bench struct {
	root  string // etcdlint module root
	work  string
	n     int
	quick bool
	tools []*tool

	bin         string // directory of the built tools
	scVersion   string // staticcheck version
	goVersion   string // go directive for the temporary modules
	env         []string
	unexpected  bool // a run exited with a code that means failure
	fatalTarget bool
}

// run measures every target and prints the tables; it reports whether
// anything failed.
func (b *bench) run(targets []string) bool {
	b.env = benchEnv()
	b.goVersion = goDirective(filepath.Join(b.root, "go.mod"))
	if *flagList {
		for _, name := range targets {
			t, err := b.setup(name)
			if err != nil {
				log.Printf("target %s: %v", name, err)
				b.fatalTarget = true
				continue
			}
			fmt.Printf("%s: %s\n", t.name, t.what)
			for _, p := range t.pkgs {
				fmt.Printf("\t%s\n", p)
			}
			for _, p := range t.excluded {
				fmt.Printf("\t%s (left out)\n", p)
			}
		}
		return b.fatalTarget
	}
	if err := b.buildTools(); err != nil {
		log.Print(err)
		return true
	}
	var out bytes.Buffer
	header := b.header()
	fmt.Print(header)
	out.WriteString(header)
	for _, name := range targets {
		t, err := b.setup(name)
		if err != nil {
			log.Printf("target %s: %v", name, err)
			b.fatalTarget = true
			continue
		}
		rows := b.measure(t)
		table := formatTable(t, rows, b.n)
		fmt.Print(table)
		out.WriteString(table)
	}
	if *flagOut != "" {
		if err := os.WriteFile(*flagOut, out.Bytes(), 0o644); err != nil {
			log.Print(err)
			return true
		}
	}
	return b.unexpected || b.fatalTarget
}

func (b *bench) header() string {
	var w strings.Builder
	fmt.Fprintf(&w, "## etcdlint benchmark\n\n")
	fmt.Fprintf(&w, "%s %s/%s, %d CPUs", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	if p := os.Getenv("GOMAXPROCS"); p != "" {
		fmt.Fprintf(&w, ", GOMAXPROCS=%s", p)
	}
	runs := "runs"
	if b.n == 1 {
		runs = "run"
	}
	fmt.Fprintf(&w, "; %d timed %s per row after one untimed run", b.n, runs)
	if b.quick {
		fmt.Fprintf(&w, "; -quick (smaller package sets)")
	}
	fmt.Fprintf(&w, ".\n")
	var def, off []string
	for _, e := range registry.Entries {
		if e.Default {
			def = append(def, e.Analyzer.Name)
		} else {
			off = append(off, e.Analyzer.Name)
		}
	}
	switch {
	case len(def) == 0:
		fmt.Fprintf(&w, "etcdlint passes run by default: none registered")
	default:
		fmt.Fprintf(&w, "etcdlint passes run by default: %s", strings.Join(def, ", "))
	}
	if len(off) > 0 {
		fmt.Fprintf(&w, "; off by default: %s", strings.Join(off, ", "))
	}
	if *flagEtcdlintArgs != "" {
		fmt.Fprintf(&w, "; etcdlint arguments: %s", *flagEtcdlintArgs)
	}
	fmt.Fprintf(&w, ".\n")
	if b.scVersion != "" {
		fmt.Fprintf(&w, "staticcheck %s.\n", b.scVersion)
	}
	fmt.Fprintf(&w, "Wall time in seconds, peak RSS (largest single process) in MiB, min / median / max; ratios are medians over the base row's medians.\n\n")
	return w.String()
}

// benchEnv is the environment of every command: the caller's, without a
// workspace and with the toolchain that runs the harness.
func benchEnv() []string {
	env := os.Environ()
	return append(env, "GOWORK=off", "GOTOOLCHAIN=local")
}

// timedEnv is the environment of the measured runs: no network.
func (b *bench) timedEnv(extra ...string) []string {
	env := append([]string(nil), b.env...)
	env = append(env, "GOPROXY=off")
	return append(env, extra...)
}

// moduleRoot returns the directory of the etcdlint module the harness is run
// from.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the benchmark from inside the etcdlint module")
	}
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	if !bytes.Contains(data, []byte("module github.com/etcdlint/etcdlint\n")) {
		return "", fmt.Errorf("%s is not the etcdlint module", gomod)
	}
	return filepath.Dir(gomod), nil
}

// goDirective returns the go directive of the go.mod file, for the temporary
// modules.
func goDirective(gomod string) string {
	data, err := os.ReadFile(gomod)
	if err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
				return strings.TrimSpace(v)
			}
		}
	}
	return strings.TrimPrefix(runtime.Version(), "go")
}

// goCmd runs a go command (untimed, for setup) in dir and returns its
// stdout; stderr goes into the error.
func (b *bench) goCmd(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), b.env...), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if *flagVerbose {
		log.Printf("(cd %s && %s go %s)", dir, strings.Join(env, " "), strings.Join(args, " "))
		cmd.Stderr = io.MultiWriter(&stderr, os.Stderr)
	}
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, tail(stderr.String(), 20))
	}
	return out, nil
}

// parseList splits a comma-separated list and checks every element is known.
func parseList(s string, known []string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		ok := false
		for _, k := range known {
			ok = ok || k == f
		}
		if !ok {
			return nil, fmt.Errorf("unknown %q (known: %s)", f, strings.Join(known, ", "))
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty list")
	}
	return out, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
