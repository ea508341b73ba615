package largevalue_test

import (
	"strconv"
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/largevalue"
)

// TestLargeValue runs the fixtures of every era: package a writes directly,
// cluster is the application's own layer (facts), model never touches etcd
// (facts on functions whose results grow), app calls both.
func TestLargeValue(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), largevalue.Analyzer, "./a", "./cluster", "./app", "./kvstore", "./registry", "./statussync", "./volmeta")
		})
	}
}

// TestMaxBytes: with -max-bytes 4 MiB the constant-size values of package
// flagsize are not reported; the default reports them (package a's Big).
func TestMaxBytes(t *testing.T) {
	f := largevalue.Analyzer.Flags.Lookup("max-bytes")
	if f == nil {
		t.Fatal("no flag max-bytes")
	}
	old := f.Value.String()
	if err := largevalue.Analyzer.Flags.Set("max-bytes", strconv.Itoa(4<<20)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { largevalue.Analyzer.Flags.Set("max-bytes", old) })
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), largevalue.Analyzer, "./flagsize")
		})
	}
}

// TestIncludeTests: with -include-tests the growing value a test writes is
// reported.
func TestIncludeTests(t *testing.T) {
	f := largevalue.Analyzer.Flags.Lookup("include-tests")
	if f == nil {
		t.Fatal("no flag include-tests")
	}
	old := f.Value.String()
	if err := largevalue.Analyzer.Flags.Set("include-tests", "true"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { largevalue.Analyzer.Flags.Set("include-tests", old) })
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), largevalue.Analyzer, "./withtests")
		})
	}
}

// TestTestsSkipped: by default the same write in a _test.go file is not
// reported.
func TestTestsSkipped(t *testing.T) {
	analysistest.Run(t, analysistest.Fixture("v36"), largevalue.Analyzer, "./skipped")
}
