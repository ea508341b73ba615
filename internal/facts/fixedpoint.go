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
	Rounds(tops, func(fn *ssa.Function) *types.Func { return fn.Object().(*types.Func) }, local, rounds,
		func(fn *ssa.Function) (F, bool, bool) {
			f, ok := compute(fn)
			return f, ok, true
		}, equal)
}

// Rounds is FixedPoint over any items that declare a function (SSA
// functions, declarations), each item's fact kept in local under the
// function obj returns (items for which it returns nil are skipped).
// compute also says whether it read a fact of local: an item whose fact
// rests on no fact of the package cannot change in a later round, and is
// not computed again.
func Rounds[K, F any](items []K, obj func(K) *types.Func, local map[*types.Func]F, rounds int, compute func(K) (f F, ok, readsLocal bool), equal func(old, new F) bool) {
	for range rounds {
		if len(items) == 0 {
			return
		}
		changed := false
		var again []K
		for _, item := range items {
			o := obj(item)
			if o == nil {
				continue
			}
			var f F
			var ok, reads bool
			if !report.Recover(func() { f, ok, reads = compute(item) }) {
				again = append(again, item)
				continue
			}
			if reads {
				again = append(again, item)
			}
			if !ok {
				continue
			}
			if old, found := local[o]; found && equal(old, f) {
				continue
			}
			local[o] = f
			changed = true
		}
		if !changed {
			return
		}
		items = again
	}
}
