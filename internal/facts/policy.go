package facts

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/etcdlint/etcdlint/internal/dataflow"
)

// A Policy makes one fact of the facts of the implementations an interface
// call may reach (or that an interface method's fact rests on). fs holds
// one entry per implementation, nil for one without a fact, in the order
// the Table gives them; ok false means no fact. Which policy a fact uses is
// a statement about what the fact means, so it is chosen, and said why, by
// the pass that owns the fact, at the place it calls CallFact or exports.
type Policy[F any] func(fs []F) (f F, ok bool)

// AllAgree is the policy of a fact that a caller may rely on only when
// every implementation has it: an implementation without a fact makes the
// call's fact none; otherwise agree makes it of all of them (and may find
// they do not agree).
func AllAgree[F comparable](agree func(fs []F) (F, bool)) Policy[F] {
	return func(fs []F) (F, bool) {
		var zero F
		for _, f := range fs {
			if f == zero {
				return zero, false
			}
		}
		return agree(fs)
	}
}

// CallFact returns the fact of what call reaches under policy: a static
// callee's own fact; for an interface method, the method's own fact when
// it has one (see the exports of the package that declares it), else what
// policy makes of the facts of impls(call), the implementations the asking
// pass looks at (nil for a call with no callee, or none at all).
func (t *Table[T, F]) CallFact(call *ssa.CallCommon, impls func(*ssa.CallCommon) []*types.Func, policy Policy[F]) F {
	fn := dataflow.Callee(call)
	if fn == nil {
		return nil
	}
	if f := t.Of(fn); f != nil || !call.IsInvoke() {
		return f
	}
	ms := impls(call)
	fs := make([]F, 0, len(ms))
	for _, m := range ms {
		fs = append(fs, t.Of(m))
	}
	if f, ok := policy(fs); ok {
		return f
	}
	return nil
}

// WithFact returns the functions call may reach that carry a fact of the
// table's type (see Callees).
func (t *Table[T, F]) WithFact(call *ssa.CallCommon) []*types.Func {
	cs := t.Callees(call)
	out := make([]*types.Func, len(cs))
	for i, c := range cs {
		out[i] = c.Fn
	}
	return out
}
