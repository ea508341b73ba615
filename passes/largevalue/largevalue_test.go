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
