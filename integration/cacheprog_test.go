package integration_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSharedCache shows the go command's cache shared between machines
// through GOCACHEPROG (Go 1.24+): two runners, each with its own empty
// GOCACHE and local directory, talk to a cache program
// (testdata/cacheprog) backed by one shared directory. The first runner
// analyses the packages and fills it; the second analyses nothing (no unit
// runs: every vet result comes from the cache program) and prints the same.
// Both check out the module at the same path, as CI runners do: a unit's
// key includes its directory.
func TestSharedCache(t *testing.T) {
	gated(t)
	needPasses(t, "hotkey")
	bin := etcdlint(t)
	dir := fixture(t)
	tmp := t.TempDir()
	prog := filepath.Join(tmp, "cacheprog")
	run(t, ".", env(), "go", "build", "-o", prog, "./testdata/cacheprog").expect(t, 0, "building the cache program")
	shared := filepath.Join(tmp, "shared")

	runner := func(name string) result {
		t.Helper()
		local := filepath.Join(tmp, name)
		gocache := filepath.Join(local, "gocache")
		if err := os.MkdirAll(gocache, 0o755); err != nil {
			t.Fatal(err)
		}
		environ := env(
			"GOCACHE="+gocache,
			"GOCACHEPROG="+prog+" -shared "+shared+" -local "+filepath.Join(local, "objects")+" -log "+filepath.Join(local, "gets.log"),
			"ETCDLINT_CACHE=on",
			"ETCDLINT_DEBUG=units",
		)
		return run(t, dir, environ, bin, "-json", "./status/...", "./warmup/...", "./store/...")
	}
	first := runner("runner1")
	first.expect(t, 0, "first runner")
	if len(analysed(units(first.stderr))) == 0 {
		t.Fatalf("the first runner analysed nothing; its cache was not empty:\n%s", first.stderr)
	}
	if !has(findings(t, dir, first.stdout), "hotkey", statusPos) {
		t.Fatalf("first runner: no hotkey finding at %s:\n%s", statusPos, first.stdout)
	}

	second := runner("runner2")
	second.expect(t, 0, "second runner")
	if u := units(second.stderr); len(u) != 0 {
		t.Errorf("the second runner analysed %d units again (%v); want every result from the cache program", len(u), u)
	}
	if second.stdout != first.stdout {
		t.Errorf("the runners' outputs differ:\n%s\n---\n%s", first.stdout, second.stdout)
	}
	gets := readFile(t, filepath.Join(tmp, "runner2", "gets.log"))
	if !strings.Contains(gets, "hit ") {
		t.Errorf("the second runner got nothing from the cache program:\n%s", gets)
	}
	t.Logf("second runner: %d gets from the cache program, %d misses", strings.Count(gets, "\n"), strings.Count(gets, "miss "))
}
