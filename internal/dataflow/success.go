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
// returns the error errv: errv == nil succeeds on the then side, errv !=
// nil on the else side. A test against an error value (err == ErrStop)
// says the operation failed in one way, not that it worked.
func ErrTest(errv ssa.Value) func(cond ssa.Value) int {
	return func(cond ssa.Value) int {
		cmp, ok := cond.(*ssa.BinOp)
		if !ok || !(cmp.X == errv && IsNil(cmp.Y) || cmp.Y == errv && IsNil(cmp.X)) {
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
