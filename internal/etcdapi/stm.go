package etcdapi

import (
	"go/types"
	"strings"
)

// STMApply returns the position of the apply function among the arguments
// of concurrency.NewSTM and its variants (NewSTMRepeatable,
// NewSTMSerializable, NewSTMReadCommitted, which take a context first),
// or -1 for any other function. NewSTM runs apply at least once per call,
// again on every conflict, and commits the STM's Puts when apply returns
// nil: a call of NewSTM writes what apply puts.
func STMApply(fn *types.Func) int {
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil || !strings.HasPrefix(fn.Name(), "NewSTM") {
		return -1
	}
	if _, area := PackageArea(fn.Pkg().Path()); area != AreaConcurrency {
		return -1
	}
	params := fn.Signature().Params()
	for i := range params.Len() {
		if _, ok := params.At(i).Type().Underlying().(*types.Signature); ok {
			return i
		}
	}
	return -1
}
