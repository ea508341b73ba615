package watchleak_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/watchleak"
)

// TestAnalyzer runs the pass on every category, leaked and released, in
// one package (a); on resources opened and released through the
// application's wrapper package (wrap, app: functions, a struct method,
// interface methods); and on the shapes of leaks found in real programs
// next to their corrected versions (corpus).
func TestAnalyzer(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), watchleak.Analyzer, "./a", "./wrap", "./app", "./corpus", "./life", "./mainsess", "./mainclean", "./cmdonce", "./poll")
		})
	}
}

// TestFix checks the suggested fixes against fix/fix.go.golden.
func TestFix(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.RunWithSuggestedFixes(t, analysistest.Fixture(era), watchleak.Analyzer, "./fix")
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

func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := watchleak.Analyzer.Flags.Lookup(name)
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

// TestIncludeMainFlag shows main.main exempt by default and reported with
// -include-main.
func TestIncludeMainFlag(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			setFlag(t, "include-main", "true")
			res := analysistest.Run(t, analysistest.Fixture(era), watchleak.Analyzer, "./mainflag")
			// The same packages without the flag, not loaded again.
			setFlag(t, "include-main", "false")
			if ds := analysistest.Diagnostics(t, watchleak.Analyzer, analysistest.Packages(res)); len(ds) != 0 {
				t.Errorf("main.main reported without -include-main: %v", ds)
			}
		})
	}
}

// TestIncludeTestsFlag shows test code (_test.go files and the test-support
// package withtests/testutil) exempt by default and reported with
// -include-tests.
func TestIncludeTestsFlag(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			setFlag(t, "include-tests", "true")
			res := analysistest.Run(t, analysistest.Fixture(era), watchleak.Analyzer, "./withtests/...")
			setFlag(t, "include-tests", "false")
			if ds := analysistest.Diagnostics(t, watchleak.Analyzer, analysistest.Packages(res)); len(ds) != 0 {
				t.Errorf("test code reported without -include-tests: %v", ds)
			}
		})
	}
}
