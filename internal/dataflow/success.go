package dataflow

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// LeavesOnSuccess reports whether l has a two-way branch whose side taken
// when an operation succeeded leads out of the loop: a retry, failover or
// compare-and-swap loop that stops once the operation worked. success
// tells, for a branch's condition, which successor is taken on success (0
// for the then side, 1 for the else side), or -1 when the condition does
// not test the operation.
func LeavesOnSuccess(l *Loop, success func(cond ssa.Value) int) bool {
	for _, b := range l.Header.Parent().Blocks {
		if !l.Contains(b) || len(b.Instrs) == 0 || len(b.Succs) != 2 {
			continue
		}
		ifi, ok := LastIf(b)
		if !ok {
			continue
		}
		if s := success(ifi.Cond); s >= 0 && !l.Contains(b.Succs[s]) {
			return true
		}
	}
	return false
}

// ErrTest is the success test of LeavesOnSuccess for an operation that
// returns the error errv: errv == x succeeds on the then side, errv != x
// on the else side.
func ErrTest(errv ssa.Value) func(cond ssa.Value) int {
	return func(cond ssa.Value) int {
		cmp, ok := cond.(*ssa.BinOp)
		if !ok || (cmp.X != errv && cmp.Y != errv) {
			return -1
		}
		switch cmp.Op {
		case token.EQL:
			return 0
		case token.NEQ:
			return 1
		}
		return -1
	}
}
