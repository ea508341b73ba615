package integration_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommit runs the hook of .pre-commit-hooks.yaml the way a user's
// pre-commit does: pre-commit try-repo clones a snapshot of this checkout,
// installs etcdlint with go install and runs it on a project repository
// holding the fixture module. The hook fails on the findings, and passes
// once the code is fixed.
func TestPreCommit(t *testing.T) {
	gated(t)
	t.Parallel()
	needPasses(t, "hotkey")
	preCommit, err := exec.LookPath("pre-commit")
	if err != nil {
		t.Skip("pre-commit is not installed (scripts/install-test-deps.sh installs it)")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := repoRoot(t)
	tmp := t.TempDir()
	gomodcache := strings.TrimSpace(run(t, root, env(), "go", "env", "GOMODCACHE").stdout)
	environ := env(
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		// pre-commit sets GOPATH to its environment directory and deletes
		// its pkg/ afterwards: keep the modules in the ordinary cache.
		"GOMODCACHE="+gomodcache,
		// The snapshot's path is new on every run; without -trimpath the
		// hook's etcdlint is a new executable every run, and go vet's cache
		// of every dependency's facts, keyed by the executable, is never
		// warm.
		"GOFLAGS=-mod=mod -trimpath",
		"GIT_AUTHOR_NAME=etcdlint test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=etcdlint test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
	)
	git := func(dir string, args ...string) {
		t.Helper()
		run(t, dir, environ, "git", args...).expect(t, 0, "git "+strings.Join(args, " "))
	}

	// The hook repository: this checkout's files (tracked and new, not
	// ignored ones) committed in a repository of their own, so that
	// try-repo sees the working tree as it is.
	hooks := filepath.Join(tmp, "etcdlint")
	ls := run(t, root, environ, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if ls.code != 0 {
		t.Skipf("this checkout is not a git repository: %s", ls.stderr)
	}
	for _, f := range strings.Split(strings.TrimRight(ls.stdout, "\x00"), "\x00") {
		src := filepath.Join(root, f)
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(hooks, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	git(hooks, "init", "-q")
	git(hooks, "add", "-A")
	git(hooks, "commit", "-q", "-m", "snapshot")

	// The user's project.
	project := fixture(t)
	git(project, "init", "-q")
	git(project, "add", "-A")
	git(project, "commit", "-q", "-m", "project")

	r := run(t, project, environ, preCommit, "try-repo", hooks, "etcdlint", "--all-files", "--color=never")
	r.expect(t, 1, "pre-commit with findings")
	out := r.stdout + r.stderr
	mustContain(t, "pre-commit output", out, "etcdlint", "Failed", "exit code: 3", statusPos+":", warmupPos+":")

	if err := copyDir(filepath.Join("testdata", "fixed"), project); err != nil {
		t.Fatal(err)
	}
	git(project, "add", "-A")
	r = run(t, project, environ, preCommit, "try-repo", hooks, "etcdlint", "--all-files", "--color=never")
	r.expect(t, 0, "pre-commit on the fixed code")
	mustContain(t, "pre-commit output", r.stdout+r.stderr, "Passed")
}
