package main

import (
	"fmt"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/internal/facts"
	"github.com/etcdlint/etcdlint/passes/registry"
)

// testHooks prepares the command run by a test (TestMain):
// ETCDLINT_TEST_STAGES names a file to which each stage run is appended, one
// line with the stage's name; ETCDLINT_TEST_VERSION is what -V=full prints
// for the version, so that go vet, which caches by it, runs the tool afresh.
func testHooks() {
	if path := os.Getenv("ETCDLINT_TEST_STAGES"); path != "" {
		var mu sync.Mutex
		facts.OnStage = func(st *analysis.Analyzer, _ *types.Package) {
			mu.Lock()
			defer mu.Unlock()
			f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				panic(err)
			}
			defer f.Close()
			fmt.Fprintln(f, st.Name)
		}
	}
	if v := os.Getenv("ETCDLINT_TEST_VERSION"); v != "" && slices.Equal(os.Args[1:], []string{"-V=full"}) {
		fmt.Println("etcdlint version " + v)
		os.Exit(0)
	}
}

// TestOffMeansOff: with -hotkey=false hotkey's stage runs on no package,
// standalone (in-process and cached) and under go vet -vettool, while the
// other passes' stages still run.
func TestOffMeansOff(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command and go vet over a module")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "off"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		cache string // ETCDLINT_CACHE
		args  []string
	}{
		{"standalone", "off", []string{exe, "-hotkey=false", "./..."}},
		{"cached", "on", []string{exe, "-hotkey=false", "./..."}},
		{"vet", "", []string{"go", "vet", "-vettool=" + exe, "-hotkey=false", "./..."}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stages := filepath.Join(t.TempDir(), "stages")
			cmd := exec.Command(c.args[0], c.args[1:]...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "ETCDLINT_TEST_MAIN=1", "ETCDLINT_TEST_STAGES="+stages,
				fmt.Sprintf("ETCDLINT_TEST_VERSION=test-%d", time.Now().UnixNano()), "GOWORK=off", "GOPROXY=off", cacheEnv+"="+c.cache)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(c.args, " "), err, out)
			}
			data, err := os.ReadFile(stages)
			if err != nil {
				t.Fatal(err)
			}
			runs := map[string]int{}
			for _, name := range strings.Fields(string(data)) {
				runs[name]++
			}
			t.Logf("stage runs: %v", runs)
			if runs["hotkey"] != 0 {
				t.Errorf("-hotkey=false: hotkey's stage ran %d times", runs["hotkey"])
			}
			for _, e := range registry.Entries {
				if name := e.Analyzer.Name; e.Default && name != "hotkey" && facts.StageOf(e.Analyzer) != nil && runs[name] == 0 {
					t.Errorf("-hotkey=false: %s's stage never ran", name)
				}
			}
		})
	}
}

func TestEnabled(t *testing.T) {
	all := registry.Analyzers()
	names := func(args ...string) []string {
		var out []string
		for _, a := range enabled(args, all) {
			out = append(out, a.Name)
		}
		return out
	}
	without := func(drop ...string) []string {
		var out []string
		for _, a := range all {
			if !slices.Contains(drop, a.Name) {
				out = append(out, a.Name)
			}
		}
		return out
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"./..."}, without()},
		{[]string{"-hotkey=false", "./..."}, without("hotkey")},
		{[]string{"--hotkey=0", "-txnops=false", "x.cfg"}, without("hotkey", "txnops")},
		{[]string{"-hotkey", "./..."}, []string{"hotkey"}},
		{[]string{"-hotkey=false", "-watchleak=true", "./..."}, []string{"watchleak"}},
		{[]string{"-hotkey=false", "-hotkey=true", "./..."}, []string{"hotkey"}},
		{[]string{"-hotkey=maybe", "./..."}, without()},
		{[]string{"-hotkey.max-bound=3", "-c=2", "./..."}, without()},
		// After the first argument that is not a flag, nothing is a flag.
		{[]string{"./...", "-hotkey=false"}, without()},
		{[]string{"-c", "2", "-hotkey=false", "./..."}, without()},
	}
	for _, c := range cases {
		if got := names(c.args...); !slices.Equal(got, c.want) {
			t.Errorf("enabled(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
