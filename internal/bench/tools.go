package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// A tool is one row of a table: how to run it on a target.
type tool struct {
	key   string   // -tools name and row label
	base  string   // key of the row its ratios are against; "" for a floor
	bin   string   // built executable it needs (name in bench.bin)
	vet   bool     // run as go vet -vettool=bin
	ssa   bool     // count the packages that got SSA in the untimed run
	extra bool     // append -etcdlint-args
	args  []string // arguments before the packages
	ok    []int    // exit codes that are not failures
	sc    string   // "cold" or "warm" for staticcheck
	env   []string // extra environment of its runs
	warm  bool     // go vet: the same tool every run, so that its cache serves the timed runs
	leaf  bool     // change one file of the target's leaf package before every run, and name it
	hook  bool     // run as the pre-commit hook (pre-commit run, a local hook)
}

var allTools = []*tool{
	{key: "noop", bin: "noop", ok: []int{0}},
	{key: "noopfacts", base: "noop", bin: "noopfacts", ok: []int{0}},
	{key: "summaryonly", base: "noopfacts", bin: "summaryonly", ssa: true, ok: []int{0}},
	// Standalone multichecker, uncached: 3 means findings, 1 errors.
	{key: "etcdlint", base: "noopfacts", bin: "etcdlint", ssa: true, extra: true, ok: []int{0, 3}, env: []string{"ETCDLINT_CACHE=off"}},
	// Standalone, served from go vet's cache (filled by the untimed run).
	{key: "etcdlint-warm", base: "vet-etcdlint-warm", bin: "etcdlint", extra: true, ok: []int{0, 3}, env: []string{"ETCDLINT_CACHE=on"}},
	// The same after one file of a leaf package changed (before every run).
	{key: "etcdlint-onefile", base: "etcdlint-warm", bin: "etcdlint", extra: true, leaf: true, ok: []int{0, 3}, env: []string{"ETCDLINT_CACHE=on"}},
	// The pre-commit hook on a second commit: pre-commit run with the hook.
	{key: "precommit-warm", base: "etcdlint-warm", bin: "etcdlint", extra: true, hook: true, ok: []int{0, 1}, env: []string{"ETCDLINT_CACHE=on"}},
	// Whole-program mode: the named packages with the rest of the module.
	{key: "etcdlint-whole", base: "noopfacts", bin: "etcdlint", args: []string{"-whole"}, ssa: true, extra: true, ok: []int{0, 3}},
	{key: "vet-noop", bin: "noop", vet: true, ok: []int{0}},
	{key: "vet-noopfacts", base: "vet-noop", bin: "noopfacts", vet: true, ok: []int{0}},
	// go vet exits 1 on findings and on errors alike.
	{key: "vet-etcdlint", base: "vet-noop", bin: "etcdlint", vet: true, ssa: true, extra: true, ok: []int{0, 1}},
	// go vet with its cache: the same tool ID every run.
	{key: "vet-etcdlint-warm", base: "vet-etcdlint", bin: "etcdlint", vet: true, warm: true, extra: true, ok: []int{0, 1}},
	// staticcheck exits 1 when it reports problems.
	{key: "staticcheck-cold", base: "noopfacts", bin: "staticcheck", sc: "cold", ok: []int{0, 1}},
	{key: "staticcheck-warm", base: "noopfacts", bin: "staticcheck", sc: "warm", ok: []int{0, 1}},
}

func toolKeys() []string {
	var keys []string
	for _, t := range allTools {
		keys = append(keys, t.key)
	}
	return keys
}

func selectTools(s string) ([]*tool, error) {
	keys, err := parseList(s, toolKeys())
	if err != nil {
		return nil, err
	}
	var out []*tool
	for _, t := range allTools { // table order, whatever the flag's order
		if slices.Contains(keys, t.key) {
			out = append(out, t)
		}
	}
	return out, nil
}

// buildTools builds every executable the selected rows need into b.bin.
func (b *bench) buildTools() error {
	b.bin = filepath.Join(b.work, "bin")
	if err := os.MkdirAll(b.bin, 0o755); err != nil {
		return err
	}
	need := map[string]bool{}
	for _, t := range b.tools {
		need[t.bin] = true
	}
	pkgs := map[string]string{
		"etcdlint":    "./cmd/etcdlint",
		"noop":        "./internal/bench/noop",
		"noopfacts":   "./internal/bench/noopfacts",
		"summaryonly": "./internal/bench/summaryonly",
	}
	for _, name := range []string{"etcdlint", "noop", "noopfacts", "summaryonly"} {
		if !need[name] {
			continue
		}
		if _, err := b.goCmd(b.root, nil, "build", "-o", filepath.Join(b.bin, name), pkgs[name]); err != nil {
			return err
		}
	}
	if need["staticcheck"] {
		return b.installStaticcheck()
	}
	return nil
}

// installStaticcheck installs the latest staticcheck release (or
// -staticcheck) into b.bin and checks that its cache directory is still
// STATICCHECK_CACHE.
func (b *bench) installStaticcheck() error {
	const mod = "honnef.co/go/tools"
	v := *flagStaticcheck
	if v == "" {
		out, err := b.goCmd(b.work, nil, "list", "-m", "-versions", mod)
		if err != nil {
			return err
		}
		f := strings.Fields(string(out))
		for _, s := range f[1:] {
			if !strings.Contains(s, "-") { // releases only
				v = s
			}
		}
		if v == "" {
			return fmt.Errorf("no staticcheck release in %q", out)
		}
	}
	if _, err := b.goCmd(b.work, []string{"GOBIN=" + b.bin}, "install", mod+"/cmd/staticcheck@"+v); err != nil {
		return err
	}
	b.scVersion = v
	out, err := b.goCmd(b.work, nil, "env", "GOMODCACHE")
	if err != nil {
		return err
	}
	src := filepath.Join(strings.TrimSpace(string(out)), mod+"@"+v)
	if !sourceMentions(src, `os.Getenv("STATICCHECK_CACHE")`) {
		return fmt.Errorf("staticcheck %s: no os.Getenv(\"STATICCHECK_CACHE\") in %s; the cold/warm rows would not control its cache", v, src)
	}
	return nil
}

// sourceMentions reports whether a .go file under dir contains s.
func sourceMentions(dir, s string) bool {
	found := false
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(data), s) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// A sample is one run.
type sample struct {
	wall   time.Duration
	maxRSS int64 // bytes
	code   int
}

// A row is the measurements of one tool on one target.
type row struct {
	tool    *tool
	samples []sample
	ssa     int // packages that got SSA; -1 if not counted
	codes   []int
	bad     bool // an exit code meant failure
}

// measure runs every selected tool on t: once untimed, then b.n times
// round-robin.
func (b *bench) measure(t *target) []*row {
	logs := filepath.Join(b.work, "logs", t.name)
	os.MkdirAll(logs, 0o755)
	scWarm := filepath.Join(b.work, "staticcheck-warm", t.name)
	rows := make([]*row, len(b.tools))
	for i, tl := range b.tools {
		r := &row{tool: tl, ssa: -1}
		rows[i] = r
		logf := filepath.Join(logs, tl.key+".untimed.log")
		var env []string
		if tl.ssa {
			env = append(env, "ETCDLINT_DEBUG=ssa")
		}
		if tl.sc == "warm" {
			os.RemoveAll(scWarm)
			os.MkdirAll(scWarm, 0o755)
		}
		log.Printf("%s: %s (untimed)", t.name, tl.key)
		s, err := b.runOnce(t, tl, logf, scWarm, env)
		if err != nil {
			log.Printf("%s: %s: %v", t.name, tl.key, err)
			r.bad = true
			b.unexpected = true
			continue
		}
		b.check(t, r, s, logf)
		if tl.ssa {
			r.ssa = countSSA(logf)
		}
	}
	for rep := 0; rep < b.n; rep++ {
		for _, r := range rows {
			if r.bad && len(r.codes) == 0 {
				continue // could not even start
			}
			logf := filepath.Join(logs, r.tool.key+".timed.log")
			log.Printf("%s: %s (run %d/%d)", t.name, r.tool.key, rep+1, b.n)
			s, err := b.runOnce(t, r.tool, logf, scWarm, nil)
			if err != nil {
				log.Printf("%s: %s: %v", t.name, r.tool.key, err)
				r.bad = true
				b.unexpected = true
				continue
			}
			b.check(t, r, s, logf)
			r.samples = append(r.samples, s)
		}
	}
	return rows
}

// check records the exit code of a run and complains about a failure.
func (b *bench) check(t *target, r *row, s sample, logf string) {
	if !slices.Contains(r.codes, s.code) {
		r.codes = append(r.codes, s.code)
	}
	if slices.Contains(r.tool.ok, s.code) {
		return
	}
	r.bad = true
	b.unexpected = true
	data, _ := os.ReadFile(logf)
	log.Printf("%s: %s exited %d (see %s):\n%s", t.name, r.tool.key, s.code, logf, tail(string(data), 15))
}

// runOnce runs tool tl on target t once, its output to logf, and measures it.
func (b *bench) runOnce(t *target, tl *tool, logf, scWarm string, env []string) (sample, error) {
	exe := filepath.Join(b.bin, tl.bin)
	var args []string
	var cleanup []string
	env = append(env, tl.env...)
	pkgs := t.pkgs
	if tl.leaf || tl.hook {
		if t.leafFile == "" {
			return sample{}, fmt.Errorf("target %s has no leaf package", t.name)
		}
		pkgs = append(append([]string(nil), pkgs...), t.leafPkg)
	}
	if tl.leaf {
		if err := changeLeaf(t); err != nil {
			return sample{}, err
		}
	}
	switch {
	case tl.hook:
		if err := b.hookConfig(t, exe, tl, pkgs); err != nil {
			return sample{}, err
		}
		args = []string{"pre-commit", "run", "--all-files", "--color=never"}
		pkgs = nil
	case tl.vet && tl.warm:
		args = []string{"go", "vet", "-vettool=" + exe}
	case tl.vet:
		// A fresh tool ID, so that go vet's cache has nothing for it.
		tmp, err := uniqueCopy(exe, filepath.Join(b.work, "vettools"))
		if err != nil {
			return sample{}, err
		}
		cleanup = append(cleanup, tmp)
		args = []string{"go", "vet", "-vettool=" + tmp}
	case tl.sc != "":
		dir := scWarm
		if tl.sc == "cold" {
			var err error
			if dir, err = os.MkdirTemp(b.work, "staticcheck-cold-"); err != nil {
				return sample{}, err
			}
			cleanup = append(cleanup, dir)
		}
		env = append(env, "STATICCHECK_CACHE="+dir)
		args = []string{exe}
	default:
		args = []string{exe}
	}
	defer func() {
		for _, p := range cleanup {
			os.RemoveAll(p)
		}
	}()
	if !tl.hook {
		args = append(args, tl.args...)
		if tl.extra && *flagEtcdlintArgs != "" {
			args = append(args, strings.Fields(*flagEtcdlintArgs)...)
		}
	}
	args = append(args, pkgs...)

	out, err := os.Create(logf)
	if err != nil {
		return sample{}, err
	}
	defer out.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *flagTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = t.dir
	cmd.Env = append(b.timedEnv(env...), t.env...)
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if *flagVerbose {
		log.Printf("(cd %s && %s %s) >%s", t.dir, strings.Join(append(env, t.env...), " "), shorten(args), logf)
	}
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if ctx.Err() != nil {
		return sample{}, fmt.Errorf("killed after %v", *flagTimeout)
	}
	if cmd.ProcessState == nil {
		return sample{}, err
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, fmt.Errorf("no rusage on %s", runtime.GOOS)
	}
	rss := int64(ru.Maxrss) * 1024 // KiB on Linux
	if runtime.GOOS == "darwin" {
		rss = int64(ru.Maxrss) // bytes on macOS
	}
	return sample{wall: wall, maxRSS: rss, code: cmd.ProcessState.ExitCode()}, nil
}

// uniqueCopy copies the executable exe into dir with unique bytes appended,
// which gives it a new SHA-256 and therefore a new go vet tool ID.
func uniqueCopy(exe, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	id := hex.EncodeToString(nonce[:])
	dst := filepath.Join(dir, filepath.Base(exe)+"-"+id[:8])
	src, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer src.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, src)
	if err == nil {
		_, err = io.WriteString(f, "\netcdlint-bench-nonce "+id+"\n")
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return "", err
	}
	return dst, nil
}

// countSSA counts the distinct packages named by "etcdlint: ssa: <path>"
// lines in the log.
func countSSA(logf string) int {
	f, err := os.Open(logf)
	if err != nil {
		return -1
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if _, p, ok := strings.Cut(sc.Text(), "etcdlint: ssa: "); ok {
			seen[strings.TrimSpace(p)] = true
		}
	}
	return len(seen)
}

// shorten abbreviates a long package list in a printed command.
func shorten(args []string) string {
	if len(args) > 8 {
		return strings.Join(args[:6], " ") + fmt.Sprintf(" ... (%d more)", len(args)-6)
	}
	return strings.Join(args, " ")
}
