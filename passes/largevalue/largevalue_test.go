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
			analysistest.Run(t, analysistest.Fixture(era), largevalue.Analyzer, "./a", "./cluster", "./app", "./kvstore", "./registry", "./statussync", "./volmeta", "./feedstore")
		})
	}
}

// TestMaxBytes: with -max-bytes 4 MiB the constant-size values of package
// flagsize are not reported; the default reports them (package a's Big).
func TestMaxBytes(t *testing.T) {
	setFlag(t, "max-bytes", strconv.Itoa(4<<20))
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), largevalue.Analyzer, "./flagsize")
		})
	}
}

// TestIncludeTests: with -include-tests the growing value a test writes is
// reported.
func TestIncludeTests(t *testing.T) {
	setFlag(t, "include-tests", "true")
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

// setFlag sets the analyzer's flag name for the test and restores it after.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := largevalue.Analyzer.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %s", name)
	}
	old := f.Value.String()
	if err := largevalue.Analyzer.Flags.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { largevalue.Analyzer.Flags.Set(name, old) })
}
