package integration_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/passes/registry"
)

// golangciConfig is a v2 .golangci.yml that runs only etcdlint, with
// settings (YAML, indented under the plugin's "settings:" key).
func golangciConfig(settings string) string {
	var b strings.Builder
	b.WriteString(`version: "2"
linters:
  default: none
  enable:
    - etcdlint
  settings:
    custom:
      etcdlint:
        type: module
        description: finds Go code that misuses etcd
        original-url: github.com/etcdlint/etcdlint
`)
	if settings != "" {
		b.WriteString("        settings:\n")
		for _, line := range strings.Split(strings.TrimRight(settings, "\n"), "\n") {
			b.WriteString("          " + line + "\n")
		}
	}
	b.WriteString("issues:\n  max-issues-per-linter: 0\n  max-same-issues: 0\n")
	return b.String()
}

// TestGolangci builds golangci-lint with the module plugin
// (scripts/build-golangci.sh, cached by source hash) and runs it on the
// fixture with a .golangci.yml that enables and configures etcdlint.
func TestGolangci(t *testing.T) {
	gated(t)
	t.Parallel()
	needPasses(t, "hotkey")
	root := repoRoot(t)
	r := run(t, root, env(), "bash", filepath.Join(root, "scripts", "build-golangci.sh"))
	r.expect(t, 0, "scripts/build-golangci.sh")
	bin := strings.TrimSpace(r.stdout)
	if fi, err := os.Stat(bin); err != nil || fi.IsDir() {
		t.Fatalf("build-golangci.sh printed %q, not a binary: %v", bin, err)
	}

	dir := fixture(t)
	lint := func(t *testing.T, settings string, patterns ...string) result {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, ".golangci.yml"), []byte(golangciConfig(settings)), 0o644); err != nil {
			t.Fatal(err)
		}
		// Another golangci-lint on the machine (a user's editor, a
		// parallel CI job) holds golangci-lint's lock; the fixture's run
		// shares nothing with it.
		args := append([]string{"run", "--allow-parallel-runners", "--output.text.path=stdout", "--show-stats=false"}, patterns...)
		return run(t, dir, env("GOLANGCI_LINT_CACHE="+filepath.Join(t.TempDir(), "gcl-cache")), bin, args...)
	}

	t.Run("defaults", func(t *testing.T) {
		r := lint(t, "", "./...")
		r.expect(t, 1, "golangci-lint run with findings")
		mustContain(t, "golangci-lint output", r.stdout,
			statusPos+":", warmupPos+":", "through Store.Put", "(etcdlint)")
		if _, ok := registry.Lookup("nocompact"); ok {
			mustContain(t, "golangci-lint output", r.stdout, serverPos+":")
		}
	})

	t.Run("settings", func(t *testing.T) {
		r := lint(t, "hotkey:\n  max-bound: 32\n", "./status/...", "./warmup/...")
		r.expect(t, 1, "golangci-lint run, hotkey.max-bound 32")
		mustContain(t, "golangci-lint output", r.stdout, statusPos+":")
		if strings.Contains(r.stdout, warmupPos+":") {
			t.Errorf("max-bound: 32 did not reach the pass: the loop of 20 writes is still reported:\n%s", r.stdout)
		}

		r = lint(t, "disable: [hotkey]\n", "./status/...", "./warmup/...")
		r.expect(t, 0, "golangci-lint run, hotkey disabled")
		if strings.Contains(r.stdout, "hotkey") {
			t.Errorf("disable: [hotkey] still reports hotkey:\n%s", r.stdout)
		}
	})

	t.Run("bad settings", func(t *testing.T) {
		r := lint(t, "hotkey:\n  max-bund: 32\n", "./status/...")
		if r.code == 0 || r.code == 1 {
			t.Fatalf("a misspelt setting: exit %d, want a configuration error\n%s%s", r.code, r.stdout, r.stderr)
		}
		mustContain(t, "golangci-lint error", r.stdout+r.stderr, `has no flag "max-bund"`)
	})

	t.Run("clean", func(t *testing.T) {
		r := lint(t, "", "./clean/...", "./store/...")
		r.expect(t, 0, "golangci-lint run on clean packages")
	})
}
