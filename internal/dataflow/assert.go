package dataflow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// maxDominators bounds the climb of FailedAssertions up the dominator tree.
const maxDominators = 256

// FailedAssertions returns the types that some value is known not to have
// in block b: those of the comma-ok type assertions (x.(T) in an if or a
// type switch) whose failing edge every path to b takes. The value each
// assertion tests is not returned; callers use the types to take out of
// consideration what the program has already handled separately.
func FailedAssertions(b *ssa.BasicBlock) []types.Type {
	var out []types.Type
	for d, n := b, 0; d != nil && n < maxDominators; d, n = d.Idom(), n+1 {
		if len(d.Preds) != 1 {
			continue
		}
		p := d.Preds[0]
		if len(p.Instrs) == 0 || len(p.Succs) != 2 {
			continue
		}
		cond, ok := LastIf(p)
		if !ok {
			continue
		}
		// d is entered only through the edge p -> d: on the false edge of
		// "if ok", or on the true edge of "if !ok".
		v, negated := cond.Cond, false
		for {
			u, ok := v.(*ssa.UnOp)
			if !ok || u.Op != token.NOT {
				break
			}
			v, negated = u.X, !negated
		}
		ext, ok := v.(*ssa.Extract)
		if !ok || ext.Index != 1 {
			continue
		}
		ta, ok := ext.Tuple.(*ssa.TypeAssert)
		if !ok || !ta.CommaOk {
			continue
		}
		failing := p.Succs[1]
		if negated {
			failing = p.Succs[0]
		}
		if failing == d {
			out = append(out, ta.AssertedType)
		}
	}
	return out
}
