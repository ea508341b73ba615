package robust_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixturePath is the module path of every pass's fixture module.
const fixturePath = "example.com/fixture"

// workspace is a go.work over copies of the fixture modules of every pass
// for one era (each copy's module path made unique: example.com/fixture_NAME),
// so that one load type-checks etcd and its dependencies once for all.
type workspace struct {
	dir  string
	mods map[string]string // pass name -> module dir inside the workspace
	orig map[string]string // pass name -> original fixture module dir
}

// names returns the pass names in order.
func (w *workspace) names() []string {
	var out []string
	for n := range w.mods {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

var (
	wsMu   sync.Mutex
	wsDirs = map[string]*workspace{}
	wsRuns = map[string]*result{}
	wsTmp  string
)

// TestMain removes the shared workspaces at the end.
func TestMain(m *testing.M) {
	code := m.Run()
	if wsTmp != "" {
		os.RemoveAll(wsTmp)
	}
	os.Exit(code)
}

// eraWorkspace builds (once per test process) the workspace of era; for
// v36 it also holds the example gateway.
func eraWorkspace(t testing.TB, era string) *workspace {
	t.Helper()
	wsMu.Lock()
	defer wsMu.Unlock()
	if w := wsDirs[era]; w != nil {
		return w
	}
	if wsTmp == "" {
		d, err := os.MkdirTemp("", "etcdlint-robust-")
		if err != nil {
			t.Fatal(err)
		}
		wsTmp = d
	}
	w := &workspace{dir: filepath.Join(wsTmp, era), mods: map[string]string{}, orig: map[string]string{}}
	for _, fx := range fixtureModules(t, era) {
		download(t, fx)
		name := filepath.Base(filepath.Dir(filepath.Dir(fx)))
		dst := filepath.Join(w.dir, name)
		copyTree(t, fx, dst)
		rewriteModulePath(t, dst, fixturePath, fixturePath+"_"+name)
		w.mods[name] = dst
		w.orig[name] = fx
	}
	if era == "v36" {
		gw := filepath.Join(moduleRoot, "examples", "gateway")
		download(t, gw)
		copyTree(t, gw, filepath.Join(w.dir, "gateway"))
		w.mods["gateway"] = filepath.Join(w.dir, "gateway")
		w.orig["gateway"] = gw
	}
	var work bytes.Buffer
	work.WriteString("go 1.26.0\n\nuse (\n")
	for _, n := range w.names() {
		fmt.Fprintf(&work, "\t./%s\n", n)
	}
	work.WriteString(")\n")
	if err := os.WriteFile(filepath.Join(w.dir, "go.work"), work.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	writeWorkSum(t, w.dir, era)
	wsDirs[era] = w
	return w
}

// workSums is the directory of the go.work.sum of each era's workspace.
var workSums = filepath.Join("testdata", "workspace")

// writeWorkSum gives the workspace at dir the committed go.work.sum of era,
// when there is one, and downloads the modules it names (go mod download,
// through the ordinary proxy: loads run offline).
//
// A workspace needs checksums that none of its modules' go.sum holds. In
// v36, the v1 module github.com/grpc-ecosystem/go-grpc-middleware: etcd's
// server requires it, its path is a prefix of the v2 packages etcd imports,
// and resolving those imports in the workspace opens it (in a single
// fixture module it is never opened). For a missing line the go command in
// workspace mode asks the checksum database, which a machine whose module
// cache never saw the module cannot reach offline. TestGoSumsComplete says
// which lines a workspace lacks.
func writeWorkSum(t testing.TB, dir, era string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(workSums, era, "go.work.sum"))
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.work.sum"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var mods []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && !strings.HasSuffix(f[1], "/go.mod") {
			mods = append(mods, f[0]+"@"+f[1])
		}
	}
	if len(mods) == 0 {
		return
	}
	cmd := exec.Command("go", append([]string{"mod", "download"}, mods...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOWORK="+filepath.Join(absDir(dir), "go.work"), "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod download %s in the %s workspace: %v\n%s", strings.Join(mods, " "), era, err, out)
	}
}

// eraRun returns the first run of every pass over the era's workspace,
// shared by the tests of one process.
func eraRun(t testing.TB, era string) (*workspace, *result) {
	t.Helper()
	w := eraWorkspace(t, era)
	wsMu.Lock()
	r := wsRuns[era]
	wsMu.Unlock()
	if r != nil {
		return w, r
	}
	r = runOrdered(t, w.dir, 5*time.Minute, forward, w.patterns()...)
	wsMu.Lock()
	wsRuns[era] = r
	wsMu.Unlock()
	return w, r
}

// patterns names every package of every module of the workspace.
func (w *workspace) patterns() []string {
	var out []string
	for _, n := range w.names() {
		out = append(out, "./"+n+"/...")
	}
	return out
}

// rewriteModulePath replaces the module path from by to in go.mod and in
// every .go file (imports) under dir.
func rewriteModulePath(t testing.TB, dir, from, to string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		if !strings.HasSuffix(path, ".go") && filepath.Base(path) != "go.mod" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		nb := bytes.ReplaceAll(b, []byte(`"`+from+`/`), []byte(`"`+to+`/`))
		if filepath.Base(path) == "go.mod" {
			nb = bytes.Replace(nb, []byte("module "+from+"\n"), []byte("module "+to+"\n"), 1)
		}
		if bytes.Equal(b, nb) {
			return nil
		}
		return os.WriteFile(path, nb, info.Mode())
	})
	if err != nil {
		t.Fatal(err)
	}
}
