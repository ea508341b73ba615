package etcdssa_test

import (
	"testing"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/etcdssa"
)

func TestSSAOnlyWhereEtcdIsTouched(t *testing.T) {
	results := analysistest.Run(t, analysistest.Fixture("v36"), etcdssa.Analyzer,
		"./store", "./app", "./importsonly", "./noetcd")
	want := map[string]int{ // package -> touching functions (0: no SSA)
		"example.com/fixture/store":       3,
		"example.com/fixture/app":         1,
		"example.com/fixture/importsonly": 0,
		"example.com/fixture/noetcd":      0,
	}
	seen := 0
	for _, r := range results {
		res, ok := r.Result.(*etcdssa.Result)
		if !ok {
			t.Fatalf("%s: result %T", r.Pass.Pkg.Path(), r.Result)
		}
		path := r.Pass.Pkg.Path()
		n, ok := want[path]
		if !ok {
			continue
		}
		seen++
		if (res.Pkg != nil) != (n > 0) {
			t.Errorf("%s: SSA built = %v, want %v", path, res.Pkg != nil, n > 0)
		}
		top := 0
		for _, fn := range res.Funcs {
			if fn.Parent() == nil {
				top++
			}
		}
		if top != n {
			t.Errorf("%s: %d touching functions, want %d", path, top, n)
		}
	}
	if seen != len(want) {
		t.Errorf("analysed %d of %d packages", seen, len(want))
	}
}
