package summary

import (
	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
	"github.com/etcdlint/etcdlint/internal/etcdapi"
)

// watchedResult returns, for call an etcd Watch whose channel ret returns
// as result i, 1 + the index of another result of ret that holds the
// Watcher or Client the watch is made on (Returned.On); 0 when none does.
func watchedResult(ret *ssa.Return, i int, call *ssa.Call) int {
	op, ok := etcdapi.Lookup(dataflow.Callee(&call.Call))
	if !ok || op.Kind != etcdapi.Watch {
		return 0
	}
	recv := dataflow.Arg(&call.Call, -1)
	if recv == nil {
		return 0
	}
	recvRoots := map[ssa.Value]bool{}
	dataflow.Roots(recv, func(r ssa.Value) {
		if _, ok := r.(*ssa.Call); ok {
			recvRoots[r] = true
		}
	})
	for j, v := range ret.Results {
		if j == i {
			continue
		}
		found := false
		dataflow.Roots(v, func(r ssa.Value) {
			if recvRoots[r] {
				found = true
			}
		})
		if found {
			return j + 1
		}
	}
	return 0
}
