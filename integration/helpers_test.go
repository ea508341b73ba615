package integration_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/etcdlint/etcdlint/passes/registry"
)

var (
	binDir   string
	buildErr error
	building sync.Once
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// repoRoot is the root of this repository.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// short skips the test under go test -short.
func short(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test; skipped with -short")
	}
}

// gated skips the test unless ETCDLINT_INTEGRATION=1.
func gated(t *testing.T) {
	t.Helper()
	short(t)
	if os.Getenv("ETCDLINT_INTEGRATION") != "1" {
		t.Skip("set ETCDLINT_INTEGRATION=1 to run this end-to-end test")
	}
}

// needPasses skips the test until the passes it relies on are registered.
func needPasses(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, ok := registry.Lookup(n); !ok {
			t.Skipf("pass %s is not registered", n)
		}
	}
}

// etcdlint builds the command once per test process and returns its path.
func etcdlint(t *testing.T) string {
	t.Helper()
	building.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "etcdlint-integration-")
		if buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "etcdlint"), "./cmd/etcdlint")
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("building etcdlint: %v", buildErr)
	}
	return filepath.Join(binDir, "etcdlint")
}

// env is the environment of every command: the fixture module may update
// its go.sum, and a go.work of the caller must not apply.
func env(extra ...string) []string {
	return append(os.Environ(), append([]string{"GOFLAGS=-mod=mod", "GOWORK=off"}, extra...)...)
}

// fixture copies testdata/mod into a temporary directory and returns it.
func fixture(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "mod")
	if err := copyDir(filepath.Join("testdata", "mod"), dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

// fixedFixture is fixture with testdata/fixed copied over it: the module
// with every finding fixed.
func fixedFixture(t *testing.T) string {
	t.Helper()
	dir := fixture(t)
	if err := copyDir(filepath.Join("testdata", "fixed"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs name with args in dir and returns its output and exit code.
func run(t *testing.T, dir string, environ []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = environ
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		r.code = exit.ExitCode()
	}
	t.Logf("%s %s: exit %d", filepath.Base(name), strings.Join(args, " "), r.code)
	return r
}

// expect fails the test when r's exit code is not code.
func (r result) expect(t *testing.T, code int, what string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, code, r.stdout, r.stderr)
	}
}

// A finding is one diagnostic of the -json output, its position relative to
// the module directory ("status/status.go:20").
type finding struct {
	Analyzer string
	Pos      string
	Message  string
	Fixes    int
	Related  int
}

func (f finding) String() string { return f.Analyzer + " " + f.Pos + ": " + f.Message }

// findings decodes the JSON trees that etcdlint -json and go vet -json
// print, dropping the test variants' duplicates.
func findings(t *testing.T, dir, out string) []finding {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	seen := map[string]bool{}
	var all []finding
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decoding JSON output: %v\n%s", err, out)
		}
		for pkg, byName := range tree {
			for name, raw := range byName {
				var diags []struct {
					Posn           string            `json:"posn"`
					Message        string            `json:"message"`
					SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
					Related        []json.RawMessage `json:"related"`
				}
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("package %s, analyzer %s failed: %s", pkg, name, raw)
				}
				for _, d := range diags {
					f := finding{Analyzer: name, Pos: relPos(dir, d.Posn), Message: d.Message, Fixes: len(d.SuggestedFixes), Related: len(d.Related)}
					if !seen[f.String()] {
						seen[f.String()] = true
						all = append(all, f)
					}
				}
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].String() < all[j].String() })
	return all
}

// relPos turns "/tmp/x/mod/status/status.go:20:14" into "status/status.go:20".
func relPos(dir, posn string) string {
	posn = filepath.ToSlash(posn)
	if i := strings.LastIndexByte(posn, ':'); i >= 0 {
		posn = posn[:i]
	}
	for _, d := range []string{dir, realPath(dir)} {
		prefix := filepath.ToSlash(d) + "/"
		if strings.HasPrefix(posn, prefix) {
			return strings.TrimPrefix(posn, prefix)
		}
	}
	return posn
}

func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// has reports whether fs holds a finding of analyzer at pos.
func has(fs []finding, analyzer, pos string) bool {
	for _, f := range fs {
		if f.Analyzer == analyzer && f.Pos == pos {
			return true
		}
	}
	return false
}

func count(fs []finding, analyzer string) int {
	n := 0
	for _, f := range fs {
		if f.Analyzer == analyzer {
			n++
		}
	}
	return n
}

// The findings the fixture module is built to produce.
const (
	statusPos = "status/status.go:20" // hotkey: a key rewritten every 5s through the store wrapper
	warmupPos = "warmup/warmup.go:14" // hotkey: twenty writes of one key, reported under -max-bound 10
	serverPos = "server/server.go:10" // nocompact: embed.NewConfig without auto-compaction, with a fix
)

// mustContain fails unless s contains every one of subs.
func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, s)
		}
	}
}

func gofmtClean(t *testing.T, dir string) {
	t.Helper()
	r := run(t, dir, env(), "gofmt", "-l", ".")
	r.expect(t, 0, "gofmt -l")
	if strings.TrimSpace(r.stdout) != "" {
		t.Errorf("not gofmt-clean after the fixes:\n%s", r.stdout)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
