package robust_test

import (
	"bytes"
	"fmt"
	"os"
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
	wsDirs[era] = w
	return w
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
