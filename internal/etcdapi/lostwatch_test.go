package etcdapi_test

import (
	"go/token"
	"go/types"
	"testing"

	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// watchAPI declares, in a package at path, the parts of the client's watch
// API lostwatch asks about: WatchResponse (Canceled, CompactRevision,
// Err), WatchChan, OpOption, WithRev and WithRequireLeader.
func watchAPI(path string) (*types.Package, map[string]types.Object) {
	pkg := types.NewPackage(path, "clientv3")
	objs := map[string]types.Object{}
	canceled := types.NewField(token.NoPos, pkg, "Canceled", types.Typ[types.Bool], false)
	compact := types.NewField(token.NoPos, pkg, "CompactRevision", types.Typ[types.Int64], false)
	created := types.NewField(token.NoPos, pkg, "Created", types.Typ[types.Bool], false)
	respName := types.NewTypeName(token.NoPos, pkg, "WatchResponse", nil)
	resp := types.NewNamed(respName, types.NewStruct([]*types.Var{canceled, compact, created}, nil), nil)
	pkg.Scope().Insert(respName)
	errType := types.Universe.Lookup("error").Type()
	errFn := types.NewFunc(token.NoPos, pkg, "Err", types.NewSignatureType(
		types.NewVar(token.NoPos, pkg, "wr", types.NewPointer(resp)), nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, pkg, "", errType)), false))
	resp.AddMethod(errFn)
	chName := types.NewTypeName(token.NoPos, pkg, "WatchChan", nil)
	types.NewNamed(chName, types.NewChan(types.RecvOnly, resp), nil)
	pkg.Scope().Insert(chName)
	optName := types.NewTypeName(token.NoPos, pkg, "OpOption", nil)
	opt := types.NewNamed(optName, types.NewSignatureType(nil, nil, nil, nil, nil, false), nil)
	pkg.Scope().Insert(optName)
	withRev := types.NewFunc(token.NoPos, pkg, "WithRev", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewVar(token.NoPos, pkg, "rev", types.Typ[types.Int64])),
		types.NewTuple(types.NewVar(token.NoPos, pkg, "", opt)), false))
	leader := types.NewFunc(token.NoPos, pkg, "WithRequireLeader", types.NewSignatureType(nil, nil, nil, nil, nil, false))
	objs["Canceled"], objs["CompactRevision"], objs["Created"], objs["Err"] = canceled, compact, created, errFn
	objs["WithRev"], objs["WithRequireLeader"] = withRev, leader
	objs["WatchChan"], objs["WatchResponse"], objs["OpOption"] = chName, respName, optName
	return pkg, objs
}

func TestWatchKnowledge(t *testing.T) {
	for _, path := range []string{"go.etcd.io/etcd/client/v3", "go.etcd.io/etcd/clientv3", "github.com/coreos/etcd/clientv3", "example.com/clientv3"} {
		etcd := path != "example.com/clientv3"
		_, o := watchAPI(path)
		ch := o["WatchChan"].Type()
		if got := etcdapi.IsWatchChan(ch); got != etcd {
			t.Errorf("%s: IsWatchChan(WatchChan) = %v", path, got)
		}
		if got := etcdapi.IsWatchChan(ch.Underlying()); got != etcd {
			t.Errorf("%s: IsWatchChan(<-chan WatchResponse) = %v", path, got)
		}
		if got := etcdapi.IsWatchChan(types.NewChan(types.RecvOnly, types.Typ[types.Int])); got {
			t.Errorf("%s: IsWatchChan(<-chan int) = true", path)
		}
		for _, name := range []string{"Canceled", "CompactRevision", "Err"} {
			if got := etcdapi.WatchEndCheck(o[name]); got != etcd {
				t.Errorf("%s: WatchEndCheck(%s) = %v", path, name, got)
			}
		}
		if etcdapi.WatchEndCheck(o["Created"]) {
			t.Errorf("%s: WatchEndCheck(Created) = true", path)
		}
		if got := etcdapi.IsWithRev(o["WithRev"].(*types.Func)); got != etcd {
			t.Errorf("%s: IsWithRev = %v", path, got)
		}
		if got := etcdapi.IsWithRequireLeader(o["WithRequireLeader"].(*types.Func)); got != etcd {
			t.Errorf("%s: IsWithRequireLeader = %v", path, got)
		}
	}
}

func TestIsCompactedErr(t *testing.T) {
	for path, want := range map[string]bool{
		"go.etcd.io/etcd/api/v3/v3rpc/rpctypes":                true,
		"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes":        true,
		"github.com/coreos/etcd/etcdserver/api/v3rpc/rpctypes": true,
		"example.com/rpctypes":                                 false,
	} {
		pkg := types.NewPackage(path, "rpctypes")
		v := types.NewVar(token.NoPos, pkg, "ErrCompacted", types.Universe.Lookup("error").Type())
		if got := etcdapi.IsCompactedErr(v); got != want {
			t.Errorf("IsCompactedErr(%s.ErrCompacted) = %v, want %v", path, got, want)
		}
		other := types.NewVar(token.NoPos, pkg, "ErrNoLeader", types.Universe.Lookup("error").Type())
		if etcdapi.IsCompactedErr(other) {
			t.Errorf("IsCompactedErr(%s.ErrNoLeader) = true", path)
		}
	}
}
