package leasechurn_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/leasechurn"
)

// TestLeaseChurn runs the fixtures of every era: package a grants
// directly, wrap is the application's own layer (facts), app calls it.
func TestLeaseChurn(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), leasechurn.Analyzer, "./a", "./wrap", "./app", "./reg")
		})
	}
}

// TestIncludeTests: the per-tick grant in withtests/w_test.go is reported
// only with -include-tests.
func TestIncludeTests(t *testing.T) {
	if leasechurn.Analyzer.Flags.Lookup("include-tests") == nil {
		t.Fatal("no flag include-tests")
	}
	old := leasechurn.Analyzer.Flags.Lookup("include-tests").Value.String()
	if err := leasechurn.Analyzer.Flags.Set("include-tests", "true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { leasechurn.Analyzer.Flags.Set("include-tests", old) })
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), leasechurn.Analyzer, "./withtests")
		})
	}
}

// TestTestsSkipped: by default the same grant in a _test.go file is not
// reported.
func TestTestsSkipped(t *testing.T) {
	analysistest.Run(t, analysistest.Fixture("v36"), leasechurn.Analyzer, "./skipped")
}
