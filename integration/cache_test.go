package integration_test

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The fixture's packages as go vet names its units.
const (
	fixStore   = "example.com/fixture/store"
	fixStatus  = "example.com/fixture/status"
	fixStatusX = "example.com/fixture/status_test"
	fixWarmup  = "example.com/fixture/warmup"
	fixServer  = "example.com/fixture/server"
	fixClean   = "example.com/fixture/clean"
)

// withTests adds to the fixture an in-package test of warmup and an
// external test of status, each rewriting one key in a loop (reported
// with -hotkey.include-tests), so that every kind of unit is there.
func withTests(t *testing.T, dir string) {
	t.Helper()
	write(t, filepath.Join(dir, "warmup", "warmup_test.go"), `package warmup

import (
	"context"
	"strconv"
	"testing"

	"example.com/fixture/store"
)

func writeMany(ctx context.Context, st *store.Store) {
	for i := 0; i < 40; i++ {
		_ = st.Put(ctx, "/warmup/test", strconv.Itoa(i))
	}
}

func TestRun(t *testing.T) { writeMany(context.Background(), nil) }
`)
	write(t, filepath.Join(dir, "status", "status_ext_test.go"), `package status_test

import (
	"context"
	"strconv"
	"testing"

	"example.com/fixture/store"
)

func TestPublish(t *testing.T) {
	var st *store.Store
	for i := 0; i < 40; i++ {
		_ = st.Put(context.Background(), "/status/test", strconv.Itoa(i))
	}
}
`)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// replace replaces old by new in the file, which must contain it.
func replace(t *testing.T, path, old, new string) {
	t.Helper()
	s := readFile(t, path)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	write(t, path, strings.Replace(s, old, new, 1))
}

// units returns the go vet units a cached run analysed (ETCDLINT_DEBUG=units
// prints one line for each unit go vet ran rather than served from its
// cache), as "ID (diagnostics)" or "ID (facts)", sorted.
func units(stderr string) []string {
	var out []string
	for _, line := range strings.Split(stderr, "\n") {
		if u, ok := strings.CutPrefix(line, "etcdlint: unit: "); ok {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// analysed is the units whose diagnostics a run computed, by ID.
func analysed(us []string) []string {
	var out []string
	for _, u := range us {
		if id, ok := strings.CutSuffix(u, " (diagnostics)"); ok {
			out = append(out, id)
		}
	}
	return out
}

// withoutDebug drops the lines ETCDLINT_DEBUG adds to go vet's stderr.
func withoutDebug(stderr string) string {
	var keep []string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "etcdlint: unit: ") || strings.HasPrefix(line, "# ") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// TestCache runs the standalone command twice on each state of the fixture
// module and checks what go vet's cache served: nothing analysed again when
// nothing changed; after a change, exactly the packages it can affect; and
// every output byte for byte the uncached command's (ETCDLINT_CACHE=off):
// -json in every state, text in the first and where a suppression removes
// a finding (each uncached run type-checks the fixture's dependencies from
// source, the most of this test's time). The go command's own build cache is used (the
// fixture's directory is new, so its packages' keys are too).
func TestCache(t *testing.T) {
	gated(t)
	needPasses(t, "hotkey", "nocompact")
	bin := etcdlint(t)
	dir := fixture(t)
	withTests(t, dir)
	cached := env("ETCDLINT_CACHE=on", "ETCDLINT_DEBUG=units")
	off := env("ETCDLINT_CACHE=off")
	flags := []string{"-hotkey.include-tests"}

	// same checks that a cached run prints what the uncached one does, in
	// -json and, with text, in text too, and returns the units the cached
	// -json run analysed.
	same := func(what string, text bool, args ...string) []string {
		t.Helper()
		args = append(append([]string(nil), flags...), args...)
		js := run(t, dir, cached, bin, append([]string{"-json"}, args...)...)
		want := run(t, dir, off, bin, append([]string{"-json"}, args...)...)
		if js.stdout != want.stdout || js.code != want.code {
			t.Errorf("%s: cached -json differs from uncached (exit %d, %d):\n%s\nuncached:\n%s", what, js.code, want.code, js.stdout, want.stdout)
		}
		if text {
			got := run(t, dir, cached, bin, args...)
			want := run(t, dir, off, bin, args...)
			if withoutDebug(got.stderr) != want.stderr || got.code != want.code {
				t.Errorf("%s: cached text differs from uncached (exit %d, %d):\n%s\nuncached:\n%s", what, got.code, want.code, got.stderr, want.stderr)
			}
			if u := units(got.stderr); len(u) != 0 {
				t.Errorf("%s: the text run after the -json run analysed %v again; the same flags must share the cache", what, u)
			}
		}
		return units(js.stderr)
	}
	// again runs the cached -json command and returns what it analysed.
	again := func(args ...string) []string {
		t.Helper()
		r := run(t, dir, cached, bin, append(append([]string{"-json"}, flags...), append(args, "./...")...)...)
		r.expect(t, 0, "cached -json")
		return units(r.stderr)
	}
	// onlyModule checks that a change in the module analysed nothing
	// outside it.
	onlyModule := func(what string, got []string) {
		t.Helper()
		for _, u := range got {
			if !strings.HasPrefix(u, "example.com/fixture/") {
				t.Errorf("%s: analysed %s again, outside the module", what, u)
			}
		}
	}

	same("first run", true, "./...")
	if u := again(); len(u) != 0 {
		t.Errorf("nothing changed: analysed %v again", u)
	}

	// A flag is part of every unit's key: with another value every package
	// of the module is analysed again (the dependencies' facts too, unless
	// an earlier run with the same executable and flags left them in the
	// shared build cache); back to the first value, nothing is.
	wantUnits := func(what string, got []string, want ...string) {
		t.Helper()
		sort.Strings(want)
		if !slices.Equal(analysed(got), want) {
			t.Errorf("%s: analysed %v, want %v (all units run: %v)", what, analysed(got), want, got)
		}
	}
	wantUnits("-hotkey.max-bound=32", again("-hotkey.max-bound=32"), fixClean, fixServer, fixStatus, fixStatusX, fixStore, fixWarmup)
	same("-hotkey.max-bound=32", false, "-hotkey.max-bound=32", "./...")
	if u := again(); len(u) != 0 {
		t.Errorf("the first flags again: analysed %v again", u)
	}

	// A change to a leaf package: that package alone (with its tests).
	warmup := filepath.Join(dir, "warmup", "warmup.go")
	replace(t, warmup, "for i := 0; i < 20; i++ {", "for i := 0; i < 30; i++ {")
	u := again()
	wantUnits("warmup.go changed", u, fixWarmup)
	onlyModule("warmup.go changed", u)
	same("warmup.go changed", false, "./...")

	// A suppression in the leaf package: that package alone, and the
	// finding is gone in both modes.
	replace(t, warmup, "\t\t_ = st.Put(ctx", "\t\t//etcdlint:ignore hotkey the warm-up runs once at start-up\n\t\t_ = st.Put(ctx")
	u = again()
	wantUnits("suppression added", u, fixWarmup)
	onlyModule("suppression added", u)
	same("suppression added", true, "./...")

	// A change to the wrapper's file that leaves its facts and export data
	// as they were: the wrapper's package alone.
	store := filepath.Join(dir, "store", "store.go")
	replace(t, store, "// Put writes val at the store's prefix + key.", "// Put writes val at the store's prefix + key (one etcd Put).")
	u = again()
	wantUnits("comment in store.go", u, fixStore)
	onlyModule("comment in store.go", u)

	// A change to what the wrapper does (its facts): the wrapper's package
	// and every package that imports it (clean, status, warmup), directly or
	// through a test (status_test); not server.
	replace(t, store, "\t_, err := s.cli.Put(ctx, s.prefix+key, val)\n\treturn err", "\t_, _, _ = ctx, key, val\n\treturn nil")
	u = again()
	wantUnits("store.Put no longer writes", u, fixStore, fixClean, fixStatus, fixStatusX, fixWarmup)
	onlyModule("store.Put no longer writes", u)
	same("store.Put no longer writes", false, "./...")
}

// TestCacheBrokenPackages: when go vet fails because some packages do not
// build (here a package with a type error, a package that imports it, and
// an in-package test that does not compile), the cached command keeps go
// vet's results for every other package and analyses only those uncached;
// its output, text and -json, is the uncached command's.
func TestCacheBrokenPackages(t *testing.T) {
	gated(t)
	needPasses(t, "hotkey", "nocompact")
	bin := etcdlint(t)
	dir := fixture(t)
	for _, d := range []string{"broken", "usesbroken"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "broken", "broken.go"), "package broken\n\nfunc F() int { return undefinedName }\n")
	write(t, filepath.Join(dir, "usesbroken", "usesbroken.go"), "package usesbroken\n\nimport \"example.com/fixture/broken\"\n\nvar X = broken.F()\n")
	write(t, filepath.Join(dir, "warmup", "warmup_test.go"), "package warmup\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) { t.Log(undefinedInTest) }\n")
	off := env("ETCDLINT_CACHE=off")
	roots := []string{"example.com/fixture/broken", "example.com/fixture/usesbroken", "example.com/fixture/warmup"}

	// -json: the same stdout; the packages run uncached are named with
	// ETCDLINT_DEBUG=cache.
	got := run(t, dir, env("ETCDLINT_CACHE=on", "ETCDLINT_DEBUG=cache"), bin, "-json", "./...")
	want := run(t, dir, off, bin, "-json", "./...")
	if got.code != want.code || got.stdout != want.stdout {
		t.Errorf("-json: cached output differs from uncached (exit %d, %d):\n%s\nuncached:\n%s", got.code, want.code, got.stdout, want.stdout)
	}
	wantLine := "etcdlint: cache: go vet did not analyse " + strings.Join(roots, " ") + "; analysing them uncached"
	if !strings.Contains(got.stderr, wantLine) {
		t.Errorf("stderr does not say which packages ran uncached, want %q:\n%s", wantLine, got.stderr)
	}
	// Text, the packages named in an order of the user's: the same
	// stderr (errors in the order the uncached command prints them).
	args := []string{"./warmup", "./status", "./broken"}
	got = run(t, dir, env("ETCDLINT_CACHE=on"), bin, args...)
	want = run(t, dir, off, bin, args...)
	if got.code != want.code || got.stderr != want.stderr {
		t.Errorf("%v: cached output differs from uncached (exit %d, %d):\n%s\nuncached:\n%s", args, got.code, want.code, got.stderr, want.stderr)
	}

	// Again: go vet serves every unit that builds from its cache; only
	// the packages that do not build, or import one that does not, run.
	r := run(t, dir, env("ETCDLINT_CACHE=on", "ETCDLINT_DEBUG=units"), bin, "-json", "./...")
	for _, u := range analysed(units(r.stderr)) {
		if !slices.Contains(roots, u) {
			t.Errorf("go vet analysed %s again; want every unit that builds served from its cache", u)
		}
	}
}
