package plugin_test

import (
	"go/types"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/etcdlint/etcdlint/internal/facts"
)

// TestDisabledStagesDoNotRun: a pass the settings disable runs no stage of
// its own; the other passes' stages run.
func TestDisabledStagesDoNotRun(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":  "module example.com/off\n\ngo 1.26.0\n",
		"main.go": "package main\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tprintln(i)\n\t}\n}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := newPlugin(t, map[string]any{"disable": []any{"hotkey"}})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { facts.Select(defaults()) })
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: append(os.Environ(), "GOWORK=off", "GOPROXY=off")}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	runs := map[string]int{}
	facts.OnStage = func(st *analysis.Analyzer, _ *types.Package) {
		mu.Lock()
		defer mu.Unlock()
		runs[st.Name]++
	}
	defer func() { facts.OnStage = nil }()
	if _, err := checker.Analyze(as, pkgs, nil); err != nil {
		t.Fatal(err)
	}
	if runs["hotkey"] != 0 || runs["largevalue"] == 0 {
		t.Errorf("disable: [hotkey]: stage runs %v, want none of hotkey and some of largevalue", runs)
	}
}
