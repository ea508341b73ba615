package grows_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/facts/grows"
)

// TestGrows checks the facts of a package that never touches etcd and of a
// package that returns what it returns.
func TestGrows(t *testing.T) {
	analysistest.Run(t, analysistest.Fixture("v36"), grows.Analyzer, "./model", "./use", "./fill")
}
