package facts

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/report"
)

// FixedPoint computes the facts of the package's declared functions among
// funcs (not their literals) bottom-up: compute runs on each of them, in
// source order, round after round, and sees in local what the rounds so far
// found, so a wrapper's fact can rest on the fact of a function it calls.
// It stops after a round that changes nothing, or after rounds rounds
// (mutual recursion). A function whose compute panics, returns ok false or
// returns a fact equal to its current one keeps its current one.
func FixedPoint[F any](funcs []*ssa.Function, local map[*types.Func]F, rounds int, compute func(*ssa.Function) (F, bool), equal func(old, new F) bool) {
	var tops []*ssa.Function
	for _, fn := range funcs {
		if fn.Parent() != nil {
			continue
		}
		if _, ok := fn.Object().(*types.Func); ok {
			tops = append(tops, fn)
		}
	}
	for range rounds {
		changed := false
		for _, fn := range tops {
			obj := fn.Object().(*types.Func)
			var f F
			var ok bool
			if !report.Recover(func() { f, ok = compute(fn) }) || !ok {
				continue
			}
			if old, found := local[obj]; found && equal(old, f) {
				continue
			}
			local[obj] = f
			changed = true
		}
		if !changed {
			return
		}
	}
}
