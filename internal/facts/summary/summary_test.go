package summary_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
)

// TestFactsCrossPackages checks the summaries of a wrapper package and of a
// package that imports it, in every etcd era.
func TestFactsCrossPackages(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), summary.Analyzer, "./wrap", "./app")
		})
	}
}
