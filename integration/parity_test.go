package integration_test

import (
	"path/filepath"
	"testing"
)

// TestCacheParity runs the standalone command cached (go vet's units, each
// package in a process of its own on its dependencies' export data and
// facts) and uncached (x/tools' driver, every package from source in one
// process) on testdata/hidden, whose etcd writes are made by types no
// importer's export data names: an unexported type behind an interface
// declared beside it, reached two packages away (cluster, node,
// heartbeat), and an exported type behind an interface of a third package,
// built by a package whose API names only the interface (registry/api,
// registry/etcdreg, wire, announce). Both modes must report both loops,
// and print the same bytes.
func TestCacheParity(t *testing.T) {
	gated(t)
	needPasses(t, "hotkey")
	bin := etcdlint(t)
	dir := t.TempDir()
	if err := copyDir(filepath.Join("testdata", "hidden"), dir); err != nil {
		t.Fatal(err)
	}
	cached := run(t, dir, env("ETCDLINT_CACHE=on"), bin, "-json", "./...")
	uncached := run(t, dir, env("ETCDLINT_CACHE=off"), bin, "-json", "./...")
	uncached.expect(t, 0, "uncached -json")
	for _, pos := range []string{"heartbeat/heartbeat.go:20", "announce/announce.go:16"} {
		if !has(findings(t, dir, uncached.stdout), "hotkey", pos) {
			t.Errorf("uncached: no hotkey finding at %s:\n%s", pos, uncached.stdout)
		}
		if !has(findings(t, dir, cached.stdout), "hotkey", pos) {
			t.Errorf("cached: no hotkey finding at %s (the uncached run has it)", pos)
		}
	}
	if cached.stdout != uncached.stdout || cached.code != uncached.code {
		t.Errorf("cached -json differs from uncached (exit %d, %d):\n%s\nuncached:\n%s", cached.code, uncached.code, cached.stdout, uncached.stdout)
	}
	text := run(t, dir, env("ETCDLINT_CACHE=on"), bin, "./...")
	wantText := run(t, dir, env("ETCDLINT_CACHE=off"), bin, "./...")
	if text.stderr != wantText.stderr || text.code != wantText.code {
		t.Errorf("cached text differs from uncached (exit %d, %d):\n%s\nuncached:\n%s", text.code, wantText.code, text.stderr, wantText.stderr)
	}
}
