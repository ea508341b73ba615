package configflow_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/facts/configflow"
)

// TestFactsCrossPackages checks the flows of a wrapper package and of a
// package that builds on it.
func TestFactsCrossPackages(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), configflow.Analyzer, "./wrap", "./app")
		})
	}
}
