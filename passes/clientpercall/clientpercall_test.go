package clientpercall_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/clientpercall"
)

// TestClientPerCall runs the fixtures of every era: package a dials
// directly, wrap is the application's own layer (facts), app calls it;
// testserver is test-support code, not checked by default.
func TestClientPerCall(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), clientpercall.Analyzer, "./a", "./wrap", "./app", "./testserver", "./probe", "./etcdprobe", "./monitor", "./members", "./services", "./wiring", "./cmdprobe", "./branches", "./sched")
		})
	}
}

// TestIncludeTests: the per-case dials in withtests/w_test.go and in the
// test-support package withtests/testutil are reported only with
// -include-tests (package testserver shows the default).
func TestIncludeTests(t *testing.T) {
	f := clientpercall.Analyzer.Flags.Lookup("include-tests")
	if f == nil {
		t.Fatal("no flag include-tests")
	}
	old := f.Value.String()
	if err := clientpercall.Analyzer.Flags.Set("include-tests", "true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { clientpercall.Analyzer.Flags.Set("include-tests", old) })
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), clientpercall.Analyzer, "./withtests/...")
		})
	}
}

// TestTestsSkipped: by default the same dial in a _test.go file is not
// reported.
func TestTestsSkipped(t *testing.T) {
	analysistest.Run(t, analysistest.Fixture("v36"), clientpercall.Analyzer, "./skipped")
}
