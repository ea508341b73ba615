package lostwatch_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/passes/lostwatch"
)

// TestLostWatch runs the fixtures of every era: package a consumes watches
// directly, wrap is the application's own layer (facts), app calls it.
func TestLostWatch(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), lostwatch.Analyzer, "./a", "./wrap", "./app", "./restart")
		})
	}
}
