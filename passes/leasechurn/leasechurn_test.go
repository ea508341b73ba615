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
