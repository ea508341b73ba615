package etcdssa_test

import (
	"go/types"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
			t.Fatalf("%s: result %T", r.Action.Package.PkgPath, r.Result)
		}
		path := r.Action.Package.PkgPath
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

// TestBodiesOnlyWhereNeeded: in a package that gets SSA, the functions that
// touch etcd, the functions of the package they call, the init functions
// and what package-level initialisers call have bodies; the rest are
// created without (as if declared in assembly).
func TestBodiesOnlyWhereNeeded(t *testing.T) {
	results := analysistest.Run(t, analysistest.Fixture("v36"), etcdssa.Analyzer, "./store")
	var res *etcdssa.Result
	for _, r := range results {
		if r.Action.Package.PkgPath == "example.com/fixture/store" {
			res, _ = r.Result.(*etcdssa.Result)
		}
	}
	require.NotNil(t, res)
	require.NotNil(t, res.Pkg)
	hasBody := func(name string) bool {
		t.Helper()
		if recv, method, ok := strings.Cut(name, "."); ok {
			tn := res.Pkg.Pkg.Scope().Lookup(recv).(*types.TypeName)
			obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(tn.Type()), false, res.Pkg.Pkg, method)
			fn := res.Pkg.Prog.FuncValue(obj.(*types.Func))
			require.NotNil(t, fn, name)
			return len(fn.Blocks) > 0
		}
		fn := res.Pkg.Func(name)
		require.NotNil(t, fn, name)
		return len(fn.Blocks) > 0
	}
	for _, name := range []string{"etcdStore.Put", "New", "helper", "format", "prefix", "init#1", "init"} {
		assert.True(t, hasBody(name), "%s has no body", name)
	}
	for _, name := range []string{"etcdStore.Name", "pure"} {
		assert.False(t, hasBody(name), "%s has a body", name)
	}
}

// TestSecondChance: when the builder fails on a package built with its
// direct imports only, the package is built again in a program of its own
// with every dependency, and its result comes from that program.
func TestSecondChance(t *testing.T) {
	t.Cleanup(etcdssa.FailDirectBuild())
	results := analysistest.Run(t, analysistest.Fixture("v36"), etcdssa.Analyzer, "./store", "./app")
	want := map[string]int{"example.com/fixture/store": 3, "example.com/fixture/app": 1}
	for _, r := range results {
		n, ok := want[r.Action.Package.PkgPath]
		if !ok {
			continue
		}
		delete(want, r.Action.Package.PkgPath)
		res := r.Result.(*etcdssa.Result)
		require.NotNil(t, res.Pkg, "%s got no SSA", r.Action.Package.PkgPath)
		top := 0
		for _, fn := range res.Funcs {
			assert.True(t, fn.Prog == res.Pkg.Prog, "%s is from another program than the package", fn)
			assert.NotEmpty(t, fn.Blocks, "%s has no body", fn)
			if fn.Parent() == nil {
				top++
			}
		}
		assert.Equal(t, n, top, "%s: touching functions", r.Action.Package.PkgPath)
	}
	assert.Empty(t, want, "packages not analysed")
}
