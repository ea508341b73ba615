package integration_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWhole runs `etcdlint -whole` on the whole-program fixture of
// largevalue: a writer marshals an interface's result whose only
// implementation, in a package the writer does not import, fills a map per
// pipeline. Package by package nothing is reported there; -whole reports
// it, in text, JSON and SARIF alike.
func TestWhole(t *testing.T) {
	short(t)
	t.Parallel()
	needPasses(t, "largevalue")
	bin := etcdlint(t)
	dir := filepath.Join(t.TempDir(), "whole")
	if err := copyDir(filepath.Join(repoRoot(t), "passes", "largevalue", "testdata", "whole"), dir); err != nil {
		t.Fatal(err)
	}
	const writer = "syncer/syncer.go:27"

	modular := findings(t, dir, run(t, dir, env(), bin, "-json", "./...").stdout)
	if has(modular, "largevalue", writer) {
		t.Errorf("package by package, largevalue reported %s; the implementation is invisible there", writer)
	}

	r := run(t, dir, env(), bin, "-whole", "./...")
	r.expect(t, 3, "findings in whole-program mode")
	mustContain(t, "stderr", r.stderr, "syncer.go:27:", "traffic.Controller.Status")

	js := run(t, dir, env(), bin, "-whole", "-json", "./...")
	js.expect(t, 0, "-json exits 0 as x/tools does")
	if !has(findings(t, dir, js.stdout), "largevalue", writer) {
		t.Errorf("-whole -json lacks largevalue at %s:\n%s", writer, js.stdout)
	}

	sarif := run(t, dir, env(), bin, "-whole", "-sarif", "./...")
	mustContain(t, "SARIF", sarif.stdout, `"ruleId": "largevalue"`, "syncer/syncer.go")

	// Naming one package: the rest of the module is still the program
	// (findings only in the named package); -program= leaves it out.
	one := run(t, dir, env(), bin, "-whole", "./syncer")
	one.expect(t, 3, "the named package's finding, seen through the module")
	mustContain(t, "stderr", one.stderr, "syncer.go:27:", "traffic.Controller.Status")
	if strings.Contains(one.stderr, "statussync.go") {
		t.Errorf("-whole ./syncer reported outside ./syncer:\n%s", one.stderr)
	}
	alone := run(t, dir, env(), bin, "-whole", "-program=", "./syncer")
	alone.expect(t, 0, "without the program, traffic is not loaded")
	named := run(t, dir, env(), bin, "-whole", "-program=./traffic", "./syncer")
	named.expect(t, 3, "the program named with -program")
	mustContain(t, "stderr", named.stderr, "syncer.go:27:")

	off := run(t, dir, env(), bin, "-whole", "-largevalue=false", "./...")
	if strings.Contains(off.stderr, "traffic.Controller.Status") {
		t.Errorf("-whole -largevalue=false still reported largevalue:\n%s", off.stderr)
	}
}
