package robust_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
)

// A sumTarget is a module, or a workspace, whose build TestGoSumsComplete
// checks against its go.sum files.
type sumTarget struct {
	name     string
	prepare  func(t *testing.T) (dir string, patterns []string)
	fixHint  string // where a missing line goes
	wantMiss bool   // set by TestGoSumCheckSeesMissingLines only
}

// TestGoSumsComplete checks that every module the tests load holds in its
// go.sum (a workspace: in its modules' go.sum files and its go.work.sum)
// every checksum that loading its packages and their tests needs. A missing
// line makes the go command ask the checksum database; loads run offline
// (GOPROXY=off), so on a machine whose module cache never looked the module
// up the test fails there, and only there.
//
// The modules: every go.mod under a testdata directory of the repository
// and under examples/; for each era, the workspace of every pass's fixture
// module that TestDeterminism and TestFixesApply load, and a module of the
// era's template (analysistest/eras) importing every package the era's
// fixtures import, as the fuzzer's universe does (the template itself has
// no package to load). Each is listed (go list -e -deps -test, as
// go/packages does) in a temp copy with -mod=readonly and no proxy, where
// the go command reports a missing line of a go.sum as an error; in
// workspace mode it looks a missing line up and writes it to go.work.sum
// instead, so a line the copy gained is reported too.
func TestGoSumsComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("lists every fixture module: not in -short")
	}
	runSumTargets(t, sumTargets(t))
}

// TestGoSumCheckSeesMissingLines shows that the check of TestGoSumsComplete
// fails where it should: on a fixture module whose go.sum lost the line of
// the etcd client module, and on the v36 workspace without its go.work.sum.
func TestGoSumCheckSeesMissingLines(t *testing.T) {
	if testing.Short() {
		t.Skip("lists fixture modules: not in -short")
	}
	fixture := filepath.Join(moduleRoot, "passes", "hotkey", "testdata", "v36")
	runSumTargets(t, []sumTarget{
		{
			name: "module-without-client-line",
			prepare: func(t *testing.T) (string, []string) {
				analysistest.Download(t, fixture)
				dir := t.TempDir()
				copyTree(t, fixture, dir)
				dropSumLines(t, filepath.Join(dir, "go.sum"), "go.etcd.io/etcd/client/v3 v3.6.16 h1:")
				return dir, []string{"./..."}
			},
			wantMiss: true,
		},
		{
			name: "workspace-without-go.work.sum",
			prepare: func(t *testing.T) (string, []string) {
				w := eraWorkspace(t, "v36")
				dir := t.TempDir()
				copyTree(t, w.dir, dir)
				if err := os.Remove(filepath.Join(dir, "go.work.sum")); err != nil {
					t.Fatal(err)
				}
				return dir, w.patterns()
			},
			wantMiss: true,
		},
	})
}

// dropSumLines removes from the go.sum at path every line starting with prefix.
func dropSumLines(t *testing.T, path, prefix string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if !strings.HasPrefix(line, prefix) {
			kept = append(kept, line)
		}
	}
	if len(kept) == len(strings.SplitAfter(string(b), "\n")) {
		t.Fatalf("%s has no line %q", path, prefix)
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sumTargets returns the modules TestGoSumsComplete checks.
func sumTargets(t *testing.T) []sumTarget {
	var out []sumTarget
	for _, dir := range committedModules(t) {
		rel, _ := filepath.Rel(moduleRoot, dir)
		out = append(out, sumTarget{
			name: filepath.ToSlash(rel),
			prepare: func(t *testing.T) (string, []string) {
				analysistest.Download(t, dir)
				return dir, []string{"./..."}
			},
			fixHint: filepath.ToSlash(filepath.Join(rel, "go.sum")),
		})
	}
	for _, era := range analysistest.Eras {
		out = append(out, sumTarget{
			name: "workspace/" + era,
			prepare: func(t *testing.T) (string, []string) {
				w := eraWorkspace(t, era)
				return w.dir, w.patterns()
			},
			fixHint: filepath.ToSlash(filepath.Join("robust", workSums, era, "go.work.sum")),
		}, sumTarget{
			name: "template/" + era,
			prepare: func(t *testing.T) (string, []string) {
				dir := universeModule(t, era)
				download(t, dir)
				return dir, []string{"./..."}
			},
			fixHint: filepath.ToSlash(filepath.Join("analysistest", "eras", era, "go.sum")),
		})
	}
	return out
}

// committedModules returns the directory of every go.mod under a testdata
// directory or under examples/ of the repository.
func committedModules(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != moduleRoot && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "go.mod" {
			return nil
		}
		dir := filepath.Dir(path)
		rel, _ := filepath.Rel(moduleRoot, dir)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if slices.Contains(parts, "testdata") || parts[0] == "examples" {
			out = append(out, dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatal("no fixture module found")
	}
	return out
}

// runSumTargets checks every target in a parallel subtest, as many go
// commands at a time as there are CPUs.
func runSumTargets(t *testing.T, targets []sumTarget) {
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			dir, patterns := tg.prepare(t)
			problems := sumProblems(t, dir, patterns)
			switch {
			case tg.wantMiss && len(problems) == 0:
				t.Errorf("a checksum was removed, and the check saw nothing missing")
			case tg.wantMiss:
				t.Logf("seen as it should be:\n%s", strings.Join(problems, "\n"))
			case len(problems) > 0:
				t.Errorf("loading %s needs checksums its go.sum files lack (add the lines to %s; go mod download -json MODULE@VERSION prints them):\n%s",
					strings.Join(patterns, " "), tg.fixHint, strings.Join(problems, "\n"))
			}
		})
	}
}

// sumProblems lists patterns in a temp copy of the module or workspace at
// dir as go/packages does, offline and with -mod=readonly, and returns the
// checksums it found missing: the go command's errors that say so (or that
// a module is not in the module cache, which the test's downloads should
// have put there), and every line the go command added to a go.sum or
// go.work.sum of the copy.
func sumProblems(t *testing.T, dir string, patterns []string) []string {
	t.Helper()
	tmp := t.TempDir()
	copyTree(t, dir, tmp)
	before := sumLines(t, tmp)
	gowork := "off"
	if _, err := os.Stat(filepath.Join(tmp, "go.work")); err == nil {
		gowork = filepath.Join(tmp, "go.work")
	}
	args := append([]string{"list", "-e", "-deps", "-test",
		"-f", `{{with .Error}}{{.Err}}{{"\n"}}{{end}}{{range .DepsErrors}}{{.Err}}{{"\n"}}{{end}}`}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK="+gowork, "GOTOOLCHAIN=local")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var problems []string
	seen := map[string]bool{}
	for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !seen[line] && sumError(line) {
			seen[line] = true
			problems = append(problems, line)
		}
	}
	if err != nil && len(problems) == 0 {
		problems = append(problems, fmt.Sprintf("go list failed: %v\n%s", err, stderr.String()))
	}
	after := sumLines(t, tmp)
	for file, lines := range after {
		for line := range lines {
			if !before[file][line] {
				problems = append(problems, fmt.Sprintf("the go command added to %s: %s", file, line))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// sumError reports whether a line of the go command's output says that a
// checksum is missing, that it consulted the checksum database, or that
// it needed a module the module cache lacks.
func sumError(line string) bool {
	for _, s := range []string{"go.sum", "checksum", "verifying", "sumdb", "GOPROXY=off"} {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// sumLines returns the lines of every go.sum and go.work.sum under dir, by
// path relative to dir.
func sumLines(t *testing.T, dir string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (d.Name() != "go.sum" && d.Name() != "go.work.sum") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = map[string]bool{}
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				out[rel][line] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
