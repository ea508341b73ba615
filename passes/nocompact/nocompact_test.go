package nocompact_test

import (
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/nocompact"
)

// TestSinglePackage covers configs created, tuned and started in one
// package, and servers of test code, not reported by default: a_test.go and
// the test-support package testserver.
func TestSinglePackage(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), nocompact.Analyzer, "./a", "./testserver")
		})
	}
}

// TestCrossPackage covers configs created, tuned or started by the
// application's wrapper package (functions, a struct method, an interface
// method), and a program that compacts from a client in another package.
func TestCrossPackage(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), nocompact.Analyzer, "./wrap", "./app", "./compactor", "./clientcompact")
		})
	}
}

// TestFix checks the suggested fixes against fix/fix.go.golden.
func TestFix(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.RunWithSuggestedFixes(t, analysistest.Fixture(era), nocompact.Analyzer, "./fix")
		})
	}
}

// TestGoldenBuilds checks that the fixed code is gofmt-clean and compiles
// against the real etcd of its era.
func TestGoldenBuilds(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.GoldenBuilds(t, analysistest.Fixture(era), "fix")
		})
	}
}

// diagnostics runs the pass on the flags fixture of era, loaded once per
// test process (the fixture has no expectations: the tests look at the
// diagnostics under each flag value), and returns them in position order,
// then by category.
func diagnostics(t *testing.T, era string) []analysis.Diagnostic {
	t.Helper()
	pkgs := analysistest.Load(t, analysistest.Fixture(era), "./flags")
	out := analysistest.Diagnostics(t, nocompact.Analyzer, pkgs)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pos != out[j].Pos {
			return out[i].Pos < out[j].Pos
		}
		return out[i].Category < out[j].Category
	})
	return out
}

func categories(ds []analysis.Diagnostic) string {
	var cs []string
	for _, d := range ds {
		cs = append(cs, d.Category)
	}
	return strings.Join(cs, " ")
}

func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := nocompact.Analyzer.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Value.Set(old); err != nil {
			t.Error(err)
		}
	})
}

// TestSnapshotCountFlag shows -snapshot-count widening and disabling the
// SnapshotCount check.
func TestSnapshotCountFlag(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  string
	}{
		{"raised-request-limit", "snapshot-count compaction"},
		{"always", "snapshot-count snapshot-count compaction snapshot-count"},
		{"never", "compaction"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			setFlag(t, "snapshot-count", tc.value)
			if got := categories(diagnostics(t, "v35")); got != tc.want {
				t.Errorf("-snapshot-count=%s: got diagnostics %q, want %q", tc.value, got, tc.want)
			}
		})
	}
	if err := nocompact.Analyzer.Flags.Set("snapshot-count", "sometimes"); err == nil {
		t.Errorf("-snapshot-count accepted an unknown value")
	}
}

// TestModeRetentionFlags shows -mode and -retention changing the fix.
func TestModeRetentionFlags(t *testing.T) {
	fixText := func() string {
		for _, d := range diagnostics(t, "v35") {
			if d.Category == "compaction" && len(d.SuggestedFixes) == 1 {
				return string(d.SuggestedFixes[0].TextEdits[0].NewText)
			}
		}
		return ""
	}
	if got := fixText(); !strings.Contains(got, "cfg.AutoCompactionMode = embed.CompactorModePeriodic") || !strings.Contains(got, `cfg.AutoCompactionRetention = "1h"`) {
		t.Errorf("default fix = %q", got)
	}
	setFlag(t, "mode", "revision")
	setFlag(t, "retention", "1000")
	if got := fixText(); !strings.Contains(got, "cfg.AutoCompactionMode = embed.CompactorModeRevision") || !strings.Contains(got, `cfg.AutoCompactionRetention = "1000"`) {
		t.Errorf("-mode=revision -retention=1000 fix = %q", got)
	}
	if err := nocompact.Analyzer.Flags.Set("mode", "hourly"); err == nil {
		t.Errorf("-mode accepted an unknown value")
	}
}

// TestIncludeTests: the servers of withtests/w_test.go and of the
// test-support package withtests/testutil are reported with -include-tests.
func TestIncludeTests(t *testing.T) {
	setFlag(t, "include-tests", "true")
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), nocompact.Analyzer, "./withtests/...")
		})
	}
}
