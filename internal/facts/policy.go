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
// the pass that owns the fact, at the place it calls CallFact or
// InterfaceFacts.
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
		if len(fs) == 0 {
			return zero, false
		}
		return agree(fs)
	}
}

// Some is the policy of a fact that one implementation having it is
// enough for the call to have: implementations without a fact are left
// out, and merge makes one fact of the others (a union, the first, ...);
// none with a fact means no fact.
func Some[F comparable](merge func(fs []F) (F, bool)) Policy[F] {
	return func(fs []F) (F, bool) {
		var zero F
		var with []F
		for _, f := range fs {
			if f != zero {
				with = append(with, f)
			}
		}
		if len(with) == 0 {
			return zero, false
		}
		return merge(with)
	}
}

// CallFact returns the fact of what call reaches under policy: a static
// callee's own fact; for an interface method, the method's own fact when
// it has one (see InterfaceFacts in the package that declares it), else
// what policy makes of the facts of the implementations the call may reach
// (Reachable); nil for a call with no callee.
func (t *Table[T, F]) CallFact(call *ssa.CallCommon, policy Policy[F]) F {
	fn := dataflow.Callee(call)
	if fn == nil {
		return nil
	}
	if f := t.Of(fn); f != nil || !call.IsInvoke() {
		return f
	}
	ms := t.Reachable(call)
	fs := make([]F, 0, len(ms))
	for _, m := range ms {
		fs = append(fs, t.Of(m))
	}
	if f, ok := policy(fs); ok {
		return f
	}
	return nil
}

// Reachable returns every implementation an interface call may reach,
// with a fact or not (Implementations), but for the methods of function
// types (see adapter). Nil for a call that does not invoke an interface
// method.
func (t *Table[T, F]) Reachable(call *ssa.CallCommon) []*types.Func {
	fn := dataflow.Callee(call)
	if fn == nil || !call.IsInvoke() {
		return nil
	}
	var out []*types.Func
	for _, m := range t.Implementations(call.Value.Type(), fn.Name()) {
		if !adapter(m) {
			out = append(out, m)
		}
	}
	return out
}

// adapter reports whether m is a method of a function type (such as
// http.HandlerFunc's ServeHTTP, which calls the function): what it does is
// what the functions converted to the type do, so its own fact, or its
// lack of one, says nothing about an interface it implements.
func adapter(m *types.Func) bool {
	recv := m.Signature().Recv()
	if recv == nil {
		return false
	}
	rt := recv.Type()
	if p, ok := rt.Underlying().(*types.Pointer); ok {
		rt = p.Elem()
	}
	_, ok := rt.Underlying().(*types.Signature)
	return ok
}
