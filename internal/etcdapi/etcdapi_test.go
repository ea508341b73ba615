package etcdapi_test

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/etcdlint/etcdlint/analysistest"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// opsAnalyzer marks every etcd operation, request field and config field
// that etcdapi recognises, so fixtures can pin the knowledge with // want.
var opsAnalyzer = &analysis.Analyzer{
	Name:     "etcdops",
	Doc:      "marks what etcdapi recognises (test only)",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		ins.Preorder([]ast.Node{(*ast.CallExpr)(nil), (*ast.SelectorExpr)(nil), (*ast.KeyValueExpr)(nil)}, func(n ast.Node) {
			switch n := n.(type) {
			case *ast.CallExpr:
				fn, _ := typeutil.Callee(pass.TypesInfo, n).(*types.Func)
				if op, ok := etcdapi.Lookup(fn); ok {
					pass.Reportf(n.Lparen, "etcd %s", describe(op))
				}
			case *ast.SelectorExpr:
				if v, ok := pass.TypesInfo.Uses[n.Sel].(*types.Var); ok {
					if f := etcdapi.ConfigField(v); f != "" {
						pass.Reportf(n.Sel.Pos(), "etcd config %s", f)
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok {
					if v, ok := pass.TypesInfo.Uses[id].(*types.Var); ok {
						if role := etcdapi.RequestField(v); role != "" {
							pass.Reportf(id.Pos(), "etcd field %s", role)
						}
					}
				}
			}
		})
		return nil, nil
	},
}

func describe(op etcdapi.Op) string {
	s := []string{op.Name}
	if op.Key >= 0 {
		s = append(s, fmt.Sprintf("key=%d", op.Key))
	}
	if op.Value >= 0 {
		s = append(s, fmt.Sprintf("val=%d", op.Value))
	}
	if op.Result != etcdapi.ResNone {
		s = append(s, "result="+op.Result.String())
	}
	if op.Recv != etcdapi.ResNone {
		s = append(s, "recv="+op.Recv.String())
	}
	return strings.Join(s, " ")
}

func TestKnowledge(t *testing.T) {
	for _, era := range analysistest.Eras {
		t.Run(era, func(t *testing.T) {
			analysistest.Run(t, analysistest.Fixture(era), opsAnalyzer, "./ops", "./lookalike")
		})
	}
}

func TestArg(t *testing.T) {
	if got := etcdapi.Arg("KV.Put.val"); got != 2 {
		t.Errorf(`Arg("KV.Put.val") = %d, want 2`, got)
	}
	if got := etcdapi.Arg("OpPut.key"); got != 0 {
		t.Errorf(`Arg("OpPut.key") = %d, want 0`, got)
	}
	defer func() {
		if recover() == nil {
			t.Error(`Arg("KV.Put.value") did not panic on an unknown name`)
		}
	}()
	etcdapi.Arg("KV.Put.value")
}

func TestPackageArea(t *testing.T) {
	cases := []struct {
		path string
		era  etcdapi.Era
		area etcdapi.Area
	}{
		{"go.etcd.io/etcd/client/v3", etcdapi.Era35, etcdapi.AreaClient},
		{"go.etcd.io/etcd/clientv3/concurrency", etcdapi.Era34, etcdapi.AreaConcurrency},
		{"github.com/coreos/etcd/embed", etcdapi.EraCoreOS, etcdapi.AreaEmbed},
		{"example.com/app/vendor/github.com/coreos/etcd/clientv3", etcdapi.EraCoreOS, etcdapi.AreaClient},
		{"go.etcd.io/etcd/client/v3/internal/endpoint", etcdapi.EraNone, etcdapi.AreaNone},
		{"example.com/etcd/clientv3", etcdapi.EraNone, etcdapi.AreaNone},
		{"github.com/coreos/agro/internal/etcdproto/etcdserverpb", etcdapi.EraCopy, etcdapi.AreaEtcdserverpb},
		{"go.etcd.io/etcd/api/v3/etcdserverpb", etcdapi.Era35, etcdapi.AreaEtcdserverpb},
	}
	for _, c := range cases {
		e, a := etcdapi.PackageArea(c.path)
		if e != c.era || a != c.area {
			t.Errorf("PackageArea(%q) = %v, %v; want %v, %v", c.path, e, a, c.era, c.area)
		}
	}
}
