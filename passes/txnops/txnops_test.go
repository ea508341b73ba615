package txnops_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/txnops"
)

// TestTxnOps runs the fixtures of every era: package a uses the client
// directly, wrap is the application's own layer (facts), app calls it.
func TestTxnOps(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), txnops.Analyzer, "./a", "./wrap", "./app", "./reads", "./readimpl", "./readapp", "./helpers", "./mirror")
		})
	}
}

// TestMax: with -max 64, flagmax's flush at 100 (the same shape as
// a.Flushed, not reported by default) is reported.
func TestMax(t *testing.T) {
	f := txnops.Analyzer.Flags.Lookup("max")
	if f == nil {
		t.Fatal("no flag max")
	}
	old := f.Value.String()
	if err := txnops.Analyzer.Flags.Set("max", "64"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { txnops.Analyzer.Flags.Set("max", old) })
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), txnops.Analyzer, "./flagmax")
		})
	}
}
