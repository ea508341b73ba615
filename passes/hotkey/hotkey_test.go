package hotkey_test

import (
	"strconv"
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/hotkey"
)

// TestHotkey runs the fixtures of every era: package a uses the client
// directly, wrap is the application's own layer (facts), app calls it;
// whole/etcdnotify implements an interface of whole/notify, and whole/beacon,
// which calls that interface without importing the implementation, is
// reported only in whole-program mode (TestWholeProgram); testserver is
// test-support code, not checked by default.
func TestHotkey(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), hotkey.Analyzer, "./a", "./sched", "./wrap", "./app", "./testserver", "./whole/etcdnotify", "./whole/beacon", "./whole/etcdkv", "./whole/leader", "./guard",
				"./kvlib", "./kvetcd", "./members", "./lock", "./oneshot", "./registry")
		})
	}
}

// setFlag sets one of the analyzer's flags for the test and restores it.
func setFlag(t *testing.T, name, value string) {
	t.Helper()
	f := hotkey.Analyzer.Flags.Lookup(name)
	if f == nil {
		t.Fatalf("no flag %q", name)
	}
	old := f.Value.String()
	if err := hotkey.Analyzer.Flags.Set(name, value); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hotkey.Analyzer.Flags.Set(name, old) })
}

// TestIncludeTests: the loops in withtests/w_test.go and in the
// test-support package withtests/testutil are reported only with
// -include-tests (package a's a_test.go and package testserver show the
// default).
func TestIncludeTests(t *testing.T) {
	setFlag(t, "include-tests", "true")
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), hotkey.Analyzer, "./withtests/...")
		})
	}
}

// TestMaxBound: flagbound's 20-iteration loop, reported by default (the same
// loop is Warmup in package a), is not reported with -max-bound 32.
func TestMaxBound(t *testing.T) {
	setFlag(t, "max-bound", strconv.Itoa(32))
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), hotkey.Analyzer, "./flagbound")
		})
	}
}

// TestKeySets covers a timer loop that rewrites every key of a map whose
// keys come from an unchanging collection, directly and through the
// application's wrappers (setwrap's interface method writes a whole map in
// one transaction; setapp fills the map from a walk callback).
func TestKeySets(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), hotkey.Analyzer, "./setwrap", "./setapp")
		})
	}
}
