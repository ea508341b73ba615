package integration_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/passes/registry"
)

// TestGoVet runs etcdlint as go vet's tool: one process per package, the
// wrapper's facts carried from package store to its callers through go
// vet's fact files.
func TestGoVet(t *testing.T) {
	short(t)
	t.Parallel()
	needPasses(t, "hotkey")
	bin := etcdlint(t)
	dir := fixture(t)
	vettool := "-vettool=" + bin
	_, nocompact := registry.Lookup("nocompact")

	r := run(t, dir, env(), "go", "vet", vettool, "./...")
	r.expect(t, 1, "go vet with findings")
	mustContain(t, "go vet stderr", r.stderr, statusPos+":", warmupPos+":", "through Store.Put")
	if nocompact {
		mustContain(t, "go vet stderr", r.stderr, serverPos+":")
	}

	r = run(t, dir, env(), "go", "vet", vettool, "-json", "./...")
	r.expect(t, 0, "go vet -json")
	fs := findings(t, dir, r.stdout)
	if !has(fs, "hotkey", statusPos) || !has(fs, "hotkey", warmupPos) {
		t.Errorf("go vet -json: want hotkey at %s and %s, got %v", statusPos, warmupPos, fs)
	}
	if nocompact && !has(fs, "nocompact", serverPos) {
		t.Errorf("go vet -json: want nocompact at %s, got %v", serverPos, fs)
	}

	// A pass's flag passes through go vet (which learns it from -flags).
	r = run(t, dir, env(), "go", "vet", vettool, "-hotkey.max-bound=32", "./warmup/")
	r.expect(t, 0, "go vet -hotkey.max-bound=32")
	r = run(t, dir, env(), "go", "vet", vettool, "-hotkey=false", "./status/", "./warmup/")
	r.expect(t, 0, "go vet -hotkey=false")

	if !nocompact {
		return
	}
	server := filepath.Join(dir, "server", "server.go")
	before := readFile(t, server)
	r = run(t, dir, env(), "go", "vet", vettool, "-fix", "-diff", "./server/")
	if r.code == 0 {
		t.Errorf("go vet -fix -diff: exit 0 with a non-empty diff")
	}
	mustContain(t, "go vet -fix -diff", r.stdout+r.stderr, "+\tcfg.AutoCompactionRetention = \"1h\"")
	if readFile(t, server) != before {
		t.Fatal("go vet -fix -diff changed the file")
	}

	r = run(t, dir, env(), "go", "vet", vettool, "-fix", "./...")
	if r.code != 0 && r.code != 1 {
		t.Fatalf("go vet -fix: exit %d\n%s", r.code, r.stderr)
	}
	mustContain(t, "server.go after go vet -fix", readFile(t, server), "cfg.AutoCompactionRetention = \"1h\"")
	run(t, dir, env(), "go", "build", "./...").expect(t, 0, "go build after go vet -fix")
	gofmtClean(t, dir)
	r = run(t, dir, env(), "go", "vet", vettool, "./server/")
	r.expect(t, 0, "go vet after the fix")
}

// TestGoFix runs etcdlint as go fix's tool.
func TestGoFix(t *testing.T) {
	short(t)
	t.Parallel()
	needPasses(t, "nocompact")
	bin := etcdlint(t)
	dir := fixture(t)
	fixtool := "-fixtool=" + bin
	server := filepath.Join(dir, "server", "server.go")
	before := readFile(t, server)

	r := run(t, dir, env(), "go", "fix", fixtool, "-diff", "./...")
	if r.code == 0 {
		t.Errorf("go fix -diff: exit 0 with a non-empty diff")
	}
	mustContain(t, "go fix -diff", r.stdout+r.stderr, "server/server.go", "+\tcfg.AutoCompactionMode = embed.CompactorModePeriodic")
	if readFile(t, server) != before {
		t.Fatal("go fix -diff changed the file")
	}

	r = run(t, dir, env(), "go", "fix", fixtool, "./...")
	r.expect(t, 0, "go fix")
	after := readFile(t, server)
	mustContain(t, "server.go after go fix", after, "cfg.AutoCompactionMode = embed.CompactorModePeriodic", "cfg.AutoCompactionRetention = \"1h\"")
	if strings.Count(after, "AutoCompactionRetention") != 1 {
		t.Errorf("the fix was applied more than once:\n%s", after)
	}
	run(t, dir, env(), "go", "build", "./...").expect(t, 0, "go build after go fix")
	gofmtClean(t, dir)

	r = run(t, dir, env(), "go", "fix", fixtool, "-diff", "./server/")
	r.expect(t, 0, "go fix -diff after the fix")
}
