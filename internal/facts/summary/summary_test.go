package summary_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/facts/summary"
)

func TestFactsCrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.Fixture("v36"), summary.Analyzer, "./wrap", "./app")
}
